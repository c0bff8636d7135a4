using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace NanoRnn.Bench
{
    /// <summary>
    /// A measured report written into the Markdown page that shows it, as tools/nanornn/generated.py
    /// writes the Python commands' tables: between <c>&lt;!-- BEGIN name --&gt;</c> and
    /// <c>&lt;!-- END name --&gt;</c>, starting with a provenance line (the command, the commit it
    /// measured, the date in UTC). A file without the region is written whole.
    /// </summary>
    internal static class GeneratedPage
    {
        public static string Begin(string region) => "<!-- BEGIN " + region + " -->";

        public static string End(string region) => "<!-- END " + region + " -->";

        /// <summary>Writes <paramref name="body"/> under its provenance line; returns what was written ("the il region of PAGE", or PAGE).</summary>
        public static string Write(string path, string region, string command, string body)
        {
            string text = Provenance(command) + "\n\n" + body.TrimEnd('\n') + "\n";
            string page = File.Exists(path) ? File.ReadAllText(path) : null;
            int start = page == null ? -1 : LineIndex(page, Begin(region), 0);
            int stop = start < 0 ? -1 : LineIndex(page, End(region), start);
            if (stop < 0)
            {
                File.WriteAllText(path, text);
                return path;
            }

            int content = start + Begin(region).Length + 1;
            File.WriteAllText(path, page.Substring(0, content) + text + page.Substring(stop));
            return "the " + region + " region of " + path;
        }

        // Where a line that is exactly `marker` starts, from `from` on; -1 if none (a marker quoted in the prose is not one).
        private static int LineIndex(string page, string marker, int from)
        {
            for (int i = page.IndexOf(marker, from, StringComparison.Ordinal); i >= 0; i = page.IndexOf(marker, i + 1, StringComparison.Ordinal))
            {
                int after = i + marker.Length;
                if ((i == 0 || page[i - 1] == '\n') && (after == page.Length || page[after] == '\n'))
                {
                    return i;
                }
            }

            return -1;
        }

        public static string Provenance(string command)
        {
            return "_Written by `" + command + "` at commit " + Commit() + " on "
                + DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "._";
        }

        // HEAD's short hash, or "unknown" outside a git checkout.
        private static string Commit()
        {
            try
            {
                var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
                start.ArgumentList.Add("-C");
                start.ArgumentList.Add(BenchModels.RepositoryRoot());
                start.ArgumentList.Add("rev-parse");
                start.ArgumentList.Add("--short");
                start.ArgumentList.Add("HEAD");
                using (Process git = Process.Start(start))
                {
                    string hash = git.StandardOutput.ReadToEnd().Trim();
                    git.WaitForExit();
                    return git.ExitCode == 0 && hash.Length > 0 ? hash : "unknown";
                }
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is BenchFailure)
            {
                return "unknown";
            }
        }
    }
}
