using System.Collections.Generic;
using System.Globalization;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// `--name value` options of one command, and `--name` flags (declared as "!name"). Unknown or
    /// repeated options and options without their value are usage errors.
    /// </summary>
    internal sealed class Arguments
    {
        private readonly Dictionary<string, string> _values = new Dictionary<string, string>();
        private readonly HashSet<string> _flags = new HashSet<string>();

        public Arguments(string command, string[] args, int start, params string[] known)
        {
            var allowed = new HashSet<string>();
            var flags = new HashSet<string>();
            foreach (string option in known)
            {
                (option.StartsWith("!") ? flags : allowed).Add(option.TrimStart('!'));
            }

            for (int i = start; i < args.Length; i++)
            {
                string name = args[i];
                if (name.StartsWith("--") && flags.Contains(name.Substring(2)))
                {
                    if (!_flags.Add(name.Substring(2)))
                    {
                        throw new UsageException($"{command}: {name} is given twice");
                    }

                    continue;
                }

                if (!name.StartsWith("--") || !allowed.Contains(name.Substring(2)))
                {
                    throw new UsageException($"{command}: unknown option '{name}'");
                }

                name = name.Substring(2);
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--"))
                {
                    throw new UsageException($"{command}: --{name} needs a value");
                }

                if (args[i + 1].Length == 0)
                {
                    throw new UsageException($"{command}: --{name} needs a value, not an empty one");
                }

                if (!_values.TryAdd(name, args[++i]))
                {
                    throw new UsageException($"{command}: --{name} is given twice");
                }
            }

            Command = command;
        }

        public string Command { get; }

        public string Required(string name)
        {
            if (!_values.TryGetValue(name, out string value))
            {
                throw new UsageException($"{Command}: --{name} is required");
            }

            return value;
        }

        /// <summary>Whether the flag --<paramref name="name"/> was given.</summary>
        public bool Flag(string name)
        {
            return _flags.Contains(name);
        }

        public string Optional(string name, string fallback)
        {
            return _values.TryGetValue(name, out string value) ? value : fallback;
        }

        public int Int(string name, int fallback, int min, int max)
        {
            if (!_values.TryGetValue(name, out string text))
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                || value < min || value > max)
            {
                throw new UsageException($"{Command}: --{name} must be a whole number from {min} to {max}, not '{text}'");
            }

            return value;
        }
    }
}
