using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;

namespace NanoRnn.Bench
{
    /// <summary>A model blob to measure and what its header says (docs/model-format.md, "Blob layout", versions 1 to 3; version 3 is laid out as 2).</summary>
    internal sealed class BenchModel
    {
        public string Name;
        public string Path;
        public byte[] Blob;
        public bool LinearHead;   // head_type 1
        public int CellType;      // of layer 0: 1 = LSTM, 2 = GRU, 3 = RNN-tanh, 4 = RNN-relu
        public int LayerCount;
        public int C;
        public int H;             // of the last layer, which the head reads
        public int K;
        public int Rows;          // rows of the last layer: 4H (LSTM, GRU) or H (RNN)
        public int CellCount;     // cell state values of the last layer: H (LSTM) or 0

        /// <summary>Multiply-accumulates of the row products in one step, every layer: Σ R·(inputs + H).</summary>
        public long GateMacs;

        /// <summary>Multiply-accumulates of one ComputeOutput: K·H, or M·H + K·M for an MLP head.</summary>
        public long HeadMacs;

        /// <summary>The parameters as PyTorch holds them in float32 (both recurrent biases and the head's).</summary>
        public long FloatParameterBytes;

        private static readonly string[] CellNames = { "cell type 0", "LSTM", "GRU", "RNN-tanh", "RNN-relu" };

        /// <summary>One LSTM layer, a linear head and no records: the models HeapFit's array formulas describe.</summary>
        public bool IsPlainSingleLstm
        {
            get { return LayerCount == 1 && CellType == 1 && LinearHead && Blob.Length == HeapFit.BlobBytes(C, H, K); }
        }

        public string Shape
        {
            get
            {
                string cell = CellType < CellNames.Length ? CellNames[CellType] : "cell type " + CellType;
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

            var model = new BenchModel
            {
                Name = name,
                Path = path,
                Blob = blob,
                LayerCount = blob[13],
                LinearHead = blob[14] == 1,
                C = BitConverter.ToUInt16(blob, 16),
                K = BitConverter.ToUInt16(blob, 20),
            };
            model.ReadLayers();
            return model;
        }

        // Walks the 8-byte layer headers (cell_type, cell_frac_bits, hidden_size, hidden_scale).
        private void ReadLayers()
        {
            int offset = 32 + 9 * C;
            int inputs = C;
            long parameters = 0;
            for (int l = 0; l < LayerCount; l++)
            {
                int cell = Blob[offset];
                int h = BitConverter.ToUInt16(Blob, offset + 2);
                int rows = (cell == 1 || cell == 2 ? 4 : 1) * h;
                int torchRows = (cell == 1 ? 4 : cell == 2 ? 3 : 1) * h;
                if (l == 0)
                {
                    CellType = cell;
                }

                GateMacs += (long)rows * (inputs + h);
                parameters += (long)torchRows * (inputs + h) + 2L * torchRows;
                Rows = rows;
                CellCount = cell == 1 ? h : 0;
                H = h;
                offset += 8 + rows * (22 + inputs + h);
                inputs = h;
            }

            int m = BitConverter.ToUInt16(Blob, 18);
            HeadMacs = m > 0 ? (long)m * H + (long)K * m : (long)K * H;
            parameters += m > 0 ? (long)m * (H + 1) + (long)K * (m + 1) : (long)K * (H + 1);
            FloatParameterBytes = 4 * parameters;
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
        /// The models given with --model, or the standard seven: LSTM 6→32 and 6→64, GRU 6→32, RNN 6→32 and
        /// two-layer LSTMs 6→32 and 3→16 from make_models.py (made now if missing or older than the script) and
        /// models/default/model.nrnn.
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
            string[] generated = { "lstm-6-32", "lstm-6-64", "gru-6-32", "rnn-6-32", "lstm2-6-32", "lstm2-3-16" };
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
