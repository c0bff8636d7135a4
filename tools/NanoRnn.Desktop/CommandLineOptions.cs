using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// The kinds of option the runner's commands take: a value checked by a parser of the runner's
    /// (a file path, a whole number in a range, one of a few words, or anything with its own
    /// TryParse), and a flag. Each bad value is refused at parse time with one sentence that names
    /// the option, the rule and the value; <see cref="CommandLineErrors"/> puts it on the error line.
    /// </summary>
    internal static class CommandLineOptions
    {
        /// <summary>null when <paramref name="text"/> is a valid value, else the sentence that says why not.</summary>
        public delegate string Parser<T>(string text, out T value);

        /// <summary>
        /// An option with one value, given once, converted by <paramref name="parse"/>. A missing, empty
        /// or `--…` value is refused as "needs a value": a word starting with `--` is taken for a
        /// forgotten value followed by the next option, never for a value.
        /// </summary>
        public static Option<T> Value<T>(string name, string helpName, string description, Parser<T> parse)
        {
            return new Option<T>(name)
            {
                HelpName = helpName,
                Description = description,
                CustomParser = result =>
                {
                    string text = result.Tokens[0].Value;
                    T value = default;
                    string error = text.Length == 0 ? $"{name} needs a value, not an empty one"
                        : text.StartsWith("--", StringComparison.Ordinal) ? $"{name} needs a value"
                        : parse(text, out value);
                    if (error != null)
                    {
                        result.AddError(error);
                        return default;
                    }

                    return value;
                },
            };
        }

        /// <summary>A file path: any non-empty value (whether the file is there is the command's to say, naming it).</summary>
        public static Option<string> Path(string name, string helpName, string description, bool required = false)
        {
            Option<string> option = Value(name, helpName, description, (string text, out string value) =>
            {
                value = text;
                return null;
            });
            option.Required = required;
            return option;
        }

        /// <summary>A whole number in <paramref name="min"/>..<paramref name="max"/>; <paramref name="fallback"/> when not given (help shows it).</summary>
        public static Option<int> WholeNumber(string name, string description, int min, int max, int? fallback = null)
        {
            Option<int> option = Value(name, "N", description, (string text, out int value) =>
                int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max
                    ? null
                    : $"{name} must be a whole number from {min} to {max}, not '{text}'");
            if (fallback != null)
            {
                int given = fallback.Value;
                option.DefaultValueFactory = _ => given;
            }

            return option;
        }

        /// <summary>One of <paramref name="words"/>; <paramref name="fallback"/> when not given (null: no default).</summary>
        public static Option<string> OneOf(string name, string description, string fallback, params string[] words)
        {
            string list = words.Length == 1 ? words[0] : string.Join(", ", words, 0, words.Length - 1) + " or " + words[words.Length - 1];
            Option<string> option = Value(name, string.Join("|", words), description, (string text, out string value) =>
            {
                value = text;
                return Array.IndexOf(words, text) >= 0 ? null : $"{name} must be {list}, not '{text}'";
            });
            option.CompletionSources.Add(words);
            if (fallback != null)
            {
                option.DefaultValueFactory = _ => fallback;
            }

            return option;
        }

        /// <summary>A flag: present or not, once, with no value.</summary>
        public static Option<bool> Flag(string name, string description)
        {
            var option = new Option<bool>(name) { Description = description, Arity = ArgumentArity.Zero };
            option.Validators.Add(result =>
            {
                if (result.IdentifierTokenCount > 1)
                {
                    result.AddError($"{name} is given twice");
                }
            });
            return option;
        }

        /// <summary>Whether <paramref name="option"/> was written on the command line (not only its default).</summary>
        public static bool IsGiven(SymbolResult command, Option option)
        {
            return command.GetResult(option) is { Implicit: false };
        }

        /// <inheritdoc cref="IsGiven(SymbolResult, Option)"/>
        public static bool IsGiven(ParseResult parsed, Option option)
        {
            return parsed.GetResult(option) is { Implicit: false };
        }
    }
}
