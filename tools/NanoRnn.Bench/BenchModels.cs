using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;

namespace NanoRnn.Bench
{
    /// <summary>A model blob to measure and what its header says (docs/model-format.md, "Blob layout").</summary>
    internal sealed class BenchModel
    {
        public string Name;
        public string Path;
        public byte[] Blob;
        public int CellType;      // 1 = LSTM
        public int LayerCount;
        public int C;
        public int H;
        public int K;

        /// <summary>Multiply-accumulates of the gate products in one step: 4H·(C + H).</summary>
        public long GateMacs
        {
            get { return 4L * H * (C + H); }
        }

        /// <summary>Multiply-accumulates of one ComputeOutput: K·H.</summary>
        public long HeadMacs
        {
            get { return (long)K * H; }
        }

        /// <summary>The parameters as PyTorch holds them in float32 (both LSTM biases and the head's).</summary>
        public long FloatParameterBytes
        {
            get { return 4L * (4L * H * C + 4L * H * H + 8L * H + (long)K * H + K); }
        }

        public string Shape
        {
            get
            {
                string cell = CellType == 1 ? "LSTM" : "cell type " + CellType;
                string layers = LayerCount == 1 ? "" : " ×" + LayerCount;
                return cell + layers + " " + C + "→" + H + ", " + K + " classes";
            }
        }

        public static BenchModel Read(string name, string path)
        {
            byte[] blob = File.ReadAllBytes(path);
            if (blob.Length < 32)
            {
                throw new BenchFailure(path + " is " + blob.Length + " bytes, shorter than a blob header");
            }

            return new BenchModel
            {
                Name = name,
                Path = path,
                Blob = blob,
                CellType = blob[12],
                LayerCount = blob[13],
                C = BitConverter.ToUInt16(blob, 16),
                H = BitConverter.ToUInt16(blob, 18),
                K = BitConverter.ToUInt16(blob, 20),
            };
        }
    }

    /// <summary>Finds the repository, makes the seeded models if they are missing, and lists what to measure.</summary>
    internal static class BenchModels
    {
        /// <summary>The repository root: baked in at build time, else found upward from the current folder.</summary>
        public static string RepositoryRoot()
        {
            string baked = typeof(BenchModels).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "NanoRnn.Bench.RepositoryRoot")?.Value;
            if (baked != null && File.Exists(System.IO.Path.Combine(baked, "tools", "quantize.py")))
            {
                return baked;
            }

            for (string dir = Directory.GetCurrentDirectory(); dir != null; dir = System.IO.Path.GetDirectoryName(dir))
            {
                if (File.Exists(System.IO.Path.Combine(dir, "tools", "quantize.py")))
                {
                    return dir;
                }
            }

            throw new BenchFailure("cannot find the NanoRnn repository (tools/quantize.py) from " + Directory.GetCurrentDirectory());
        }

        /// <summary>
        /// The models given with --model, or the standard three: LSTM 6→32 and 6→64 from make_models.py
        /// (made now if missing or older than the script) and models/default/model.nrnn.
        /// </summary>
        public static List<BenchModel> Resolve(IReadOnlyList<string> paths, TextWriter log)
        {
            if (paths.Count > 0)
            {
                return paths.Select(p => BenchModel.Read(System.IO.Path.GetFileNameWithoutExtension(p), p)).ToList();
            }

            string root = RepositoryRoot();
            string script = System.IO.Path.Combine(root, "tools", "NanoRnn.Bench", "make_models.py");
            string folder = System.IO.Path.Combine(root, "tools", "NanoRnn.Bench", "obj", "bench-models");
            string[] generated = { "lstm-6-32", "lstm-6-64" };
            var models = new List<BenchModel>();
            bool stale = generated.Any(n =>
            {
                string blob = System.IO.Path.Combine(folder, n + ".nrnn");
                return !File.Exists(blob) || File.GetLastWriteTimeUtc(blob) < File.GetLastWriteTimeUtc(script);
            });
            string problem = stale ? MakeModels(script, folder, log) : null;
            foreach (string name in generated)
            {
                string blob = System.IO.Path.Combine(folder, name + ".nrnn");
                if (problem == null && File.Exists(blob))
                {
                    models.Add(BenchModel.Read(name, blob));
                }
                else
                {
                    log.WriteLine("skipping " + name + ": " + (problem ?? blob + " was not made"));
                }
            }

            models.Add(BenchModel.Read("default", System.IO.Path.Combine(root, "models", "default", "model.nrnn")));
            return models;
        }

        // Runs make_models.py; returns null, or why it failed.
        private static string MakeModels(string script, string folder, TextWriter log)
        {
            string python = Environment.GetEnvironmentVariable("NANORNN_PYTHON")
                ?? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
            log.WriteLine("making the seeded models: " + python + " " + script + " --output " + folder);
            var start = new ProcessStartInfo(python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add("--output");
            start.ArgumentList.Add(folder);
            try
            {
                using (Process process = Process.Start(start))
                {
                    var stderr = process.StandardError.ReadToEndAsync();
                    string stdout = process.StandardOutput.ReadToEnd();
                    process.WaitForExit();
                    log.Write(stdout);
                    if (process.ExitCode != 0)
                    {
                        string error = stderr.Result.Trim();
                        return "make_models.py failed (exit " + process.ExitCode + "; it needs python3-torch): "
                            + error.Split('\n').Last();
                    }
                }
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return "cannot run " + python + ": " + e.Message;
            }

            return null;
        }
    }
}
