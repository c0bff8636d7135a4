using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text;

namespace NanoRnn.Desktop
{
    /// <summary>
    /// A wrong command line as one line: the first thing wrong with it, in the runner's words, then
    /// the command's synopsis. System.CommandLine reports every problem it finds, often several for
    /// one mistake (`--modle m`: an unknown option, a stray argument and a missing --model), so this
    /// picks the one that explains the others: an unknown option, then a bad value or a repeated
    /// option, then a stray argument, then a missing option, then a rule between options.
    /// </summary>
    internal static class CommandLineErrors
    {
        /// <summary>The error line, without "error: ", for a parse result with errors.</summary>
        public static string Describe(ParseResult parsed)
        {
            Command command = parsed.CommandResult.Command;
            if (parsed.CommandResult.Parent == null)
            {
                string names = string.Join(", ", Names(command.Subcommands));
                string first = parsed.UnmatchedTokens.Count > 0 ? parsed.UnmatchedTokens[0] : null;
                string what = first == null ? "no command given"
                    : first.StartsWith("-", StringComparison.Ordinal) ? $"unknown option '{first}'"
                    : $"unknown command '{first}'";
                return $"{what} (commands: {names}; --help shows their options)";
            }

            return $"{command.Name}: {FirstProblem(parsed)} (usage: {Synopsis(command)})";
        }

        /// <summary>
        /// The command's options on one line, as `name --required VALUE [--optional VALUE] [--flag]`,
        /// in the order they are declared.
        /// </summary>
        public static string Synopsis(Command command)
        {
            var line = new StringBuilder(command.Name);
            foreach (Option option in command.Options)
            {
                if (option is HelpOption)
                {
                    continue;
                }

                string word = option.Arity.MaximumNumberOfValues == 0 ? option.Name : option.Name + " " + option.HelpName;
                line.Append(' ').Append(option.Required ? word : "[" + word + "]");
            }

            return line.ToString();
        }

        private static string FirstProblem(ParseResult parsed)
        {
            foreach (string token in parsed.UnmatchedTokens)
            {
                if (token.StartsWith("-", StringComparison.Ordinal))
                {
                    return $"unknown option '{token}'";
                }
            }

            string given = OptionProblem(parsed, false);
            if (given != null)
            {
                return given;
            }

            if (parsed.UnmatchedTokens.Count > 0)
            {
                string token = parsed.UnmatchedTokens[0];
                string flag = FlagBefore(parsed, token);
                return flag != null ? $"{flag} takes no value, not '{token}'" : $"unexpected argument '{token}' (every value follows its --option)";
            }

            return OptionProblem(parsed, true) ?? parsed.Errors[0].Message;
        }

        // The first error on an option that was written (implicit: false) or only defaulted or missing (true).
        private static string OptionProblem(ParseResult parsed, bool implicitOptions)
        {
            foreach (ParseError error in parsed.Errors)
            {
                if (error.SymbolResult is OptionResult option && option.Implicit == implicitOptions)
                {
                    return Describe(option, error);
                }
            }

            return null;
        }

        // System.CommandLine's own checks on one option (required, one value, given once) in the
        // runner's words; the runner's parsers and validators already speak them.
        private static string Describe(OptionResult result, ParseError error)
        {
            string name = result.Option.Name;
            if (result.Implicit)
            {
                return result.Option.Required && result.Tokens.Count == 0 ? $"{name} is required" : error.Message;
            }

            if (result.IdentifierTokenCount > 1)
            {
                return $"{name} is given twice";
            }

            return result.Tokens.Count == 0 && result.Option.Arity.MinimumNumberOfValues > 0 ? $"{name} needs a value" : error.Message;
        }

        // The flag just before the stray word, when there is one: `--every-step=1` or `--every-step 1`.
        private static string FlagBefore(ParseResult parsed, string token)
        {
            IReadOnlyList<Token> tokens = parsed.Tokens;
            for (int i = 1; i < tokens.Count; i++)
            {
                if (tokens[i].Value != token || tokens[i - 1].Type != TokenType.Option)
                {
                    continue;
                }

                foreach (Option option in parsed.CommandResult.Command.Options)
                {
                    if (option.Arity.MaximumNumberOfValues == 0 && !(option is HelpOption) && option.Name == tokens[i - 1].Value)
                    {
                        return option.Name;
                    }
                }
            }

            return null;
        }

        private static IEnumerable<string> Names(IEnumerable<Command> commands)
        {
            foreach (Command command in commands)
            {
                yield return command.Name;
            }
        }
    }
}
