using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// Which test API a firmware test source may use: the part that nanoFramework.TestFramework 3 (on
    /// nanoCLR) and MSTest 4 (here) both provide with the same meaning, plus TestSupport, the one
    /// per-platform helper for everything else. <see cref="Violations"/> scans one source text.
    /// </summary>
    /// <remarks>
    /// TestFramework's public API as read in github.com/nanoframework/nanoFramework.TestFramework:
    /// source/TestFramework/Assert.cs (AreSame, AreNotSame, IsFalse, IsTrue, IsNull, IsNotNull,
    /// IsInstanceOfType, IsNotInstanceOfType, SkipTest, Contains, DoesNotContains, StartsWith, EndsWith,
    /// ThrowsException(Type, Action, string)), source/TestFramework/Assert.AreEqual.cs and
    /// Assert.AreNotEqual.cs (one overload per primitive type, string and object, each
    /// (expected, actual, string message = "") and none with a delta), source/TestFramework/CollectionAssert.cs
    /// (AreEqual, AreNotEqual, Empty, NotEmpty over ICollection), source/TestFrameworkShared
    /// (TestClass, TestMethod, DataRow(params object[]), Setup, Cleanup; AssertFailedException in
    /// namespace TestFrameworkShared) and source/TestFramework/OutputHelper.cs. MSTest 4 has no
    /// Assert.ThrowsException, SkipTest, DoesNotContains or CollectionAssert.Empty; TestFramework, in those files, has
    /// no Assert.Fail, Inconclusive, StringAssert, TestContext or delta overloads; IsInstanceOfType means
    /// "exactly this type" there and "assignable to" in MSTest; Setup runs once per class there and
    /// TestInitialize once per test in MSTest. Those differences are why the allowed list is this short.
    /// </remarks>
    internal static class FirmwareTestApi
    {
        public static readonly string[] AllowedMembers =
        {
            "Assert.AreEqual", "Assert.AreNotEqual", "Assert.AreSame", "Assert.AreNotSame",
            "Assert.IsTrue", "Assert.IsFalse", "Assert.IsNull", "Assert.IsNotNull",
            "CollectionAssert.AreEqual", "CollectionAssert.AreNotEqual",
        };

        public static readonly string[] AllowedAttributes = { "TestClass", "TestMethod", "DataRow" };

        /// <summary>The file that may (and must) hold the per-platform code.</summary>
        public const string PerPlatformHelper = "TestSupport.cs";

        private const string NanoNamespace = "nanoFramework.TestFramework";
        private const string MsTestNamespace = "Microsoft.VisualStudio.TestTools.UnitTesting";

        private static readonly Dictionary<string, string> Advice = new Dictionary<string, string>
        {
            ["Assert.ThrowsException"] = "MSTest 4 has no Assert.ThrowsException(Type, Action): use TestSupport.ThrowsException",
            ["Assert.Throws"] = "TestFramework has no Assert.Throws: use TestSupport.ThrowsException",
            ["Assert.ThrowsExactly"] = "TestFramework has no Assert.ThrowsExactly: use TestSupport.ThrowsException",
            ["Assert.Fail"] = "TestFramework's Assert has no Fail: use TestSupport.Fail",
            ["Assert.Inconclusive"] = "TestFramework has no Assert.Inconclusive: use TestSupport.Skip",
            ["Assert.SkipTest"] = "MSTest has no Assert.SkipTest: use TestSupport.Skip",
            ["Assert.Contains"] = "the two frameworks' Assert.Contains differ: use TestSupport.Contains",
            ["Assert.IsInstanceOfType"] = "TestFramework's IsInstanceOfType means the exact type, MSTest's any assignable type: compare GetType()",
            ["CollectionAssert.Empty"] = "MSTest has no CollectionAssert.Empty: compare the length",
            ["CollectionAssert.NotEmpty"] = "MSTest has no CollectionAssert.NotEmpty: compare the length",
        };

        private static readonly Regex MemberUse = new Regex(
            @"(?<![\w.])(Assert|CollectionAssert|StringAssert)\s*\.\s*(\w+)\s*(<)?", RegexOptions.Compiled);

        // A third AreEqual argument that reads as a number, a bool or a tolerance is MSTest's delta or
        // ignoreCase overload (TestFramework's third parameter is the message). A tolerance passed in a
        // variable named otherwise passes this scan but not the nanoFramework build: no such overload.
        private static readonly Regex NotAMessage = new Regex(
            @"^\s*([-+]?\(?\s*[\d.]|true\s*$|false\s*$)|\b(delta|tolerance|epsilon|ignoreCase)\b",
            RegexOptions.Compiled | RegexOptions.IgnoreCase);

        private static readonly Regex OtherFrameworkName = new Regex(
            @"(?<![\w.])(OutputHelper|TestContext|\w*AssertFailedException|AssertInconclusiveException|SkipTestException"
            + @"|" + Regex.Escape(NanoNamespace) + "|" + Regex.Escape(MsTestNamespace) + @")\b",
            RegexOptions.Compiled);

        /// <summary>
        /// Every use in <paramref name="source"/> (one firmware test file, named <paramref name="file"/>)
        /// of test API outside the common subset, one line each; empty if there is none.
        /// </summary>
        public static List<string> Violations(string file, string source)
        {
            var found = new List<string>();
            string code = WithoutCommentsAndLiterals(source);
            bool helper = file == PerPlatformHelper || file.EndsWith("/" + PerPlatformHelper);
            code = CheckHeader(file, code, helper, found);

            foreach (Match m in MemberUse.Matches(code))
            {
                string member = m.Groups[1].Value + "." + m.Groups[2].Value;
                int line = LineOf(code, m.Index);
                if (!AllowedMembers.Contains(member))
                {
                    found.Add($"{file}:{line}: {member} is not in both test frameworks"
                              + (Advice.TryGetValue(member, out string advice) ? " (" + advice + ")" : ""));
                    continue;
                }

                if (m.Groups[3].Success)
                {
                    found.Add($"{file}:{line}: {member}<…> with type arguments is MSTest's generic overload");
                    continue;
                }

                if (member.EndsWith(".AreEqual") || member.EndsWith(".AreNotEqual"))
                {
                    string[] args = Arguments(code, m.Index + m.Length);
                    if (args.Length == 3 && NotAMessage.IsMatch(args[2]))
                    {
                        found.Add($"{file}:{line}: {member} with a third argument that is not a message string "
                                  + "(a delta or ignoreCase overload is MSTest's; use TestSupport.AreClose)");
                    }
                    else if (args.Length < 2 || args.Length > 3)
                    {
                        found.Add($"{file}:{line}: {member} with {args.Length} arguments (both frameworks have expected, actual[, message])");
                    }
                }
            }

            foreach (Match m in OtherFrameworkName.Matches(code))
            {
                found.Add($"{file}:{LineOf(code, m.Index)}: {m.Value} is not in both test frameworks");
            }

            foreach ((string name, int line) in Attributes(code))
            {
                if (!AllowedAttributes.Contains(name))
                {
                    found.Add($"{file}:{line}: attribute [{name}] is not in both test frameworks (allowed: {string.Join(", ", AllowedAttributes)})");
                }
            }

            foreach (int line in TestClassInstanceFields(code))
            {
                found.Add($"{file}:{line}: instance field in a [TestClass]: nanoFramework's launcher invokes test methods "
                          + "without an instance (MethodInfo.Invoke(null, …)); keep test state static");
            }

            return found;
        }

        /// <summary>
        /// Removes the one allowed header, "#if NANOFRAMEWORK_1_0 / using nanoFramework.TestFramework; /
        /// #else / using Microsoft…; / #endif", and reports any other conditional directive outside
        /// <see cref="PerPlatformHelper"/>, whose own #if branches are dropped from the scan. The returned
        /// code keeps its line count. Without the header a file cannot name either framework: a plain using
        /// of one of them is reported as a framework name.
        /// </summary>
        private static string CheckHeader(string file, string code, bool helper, List<string> found)
        {
            string[] lines = code.Split('\n');
            var directives = Enumerable.Range(0, lines.Length)
                .Where(i => Regex.IsMatch(lines[i], @"^\s*#\s*(if|elif|else|endif)\b")).ToArray();
            if (directives.Length >= 3
                && lines[directives[0]].Trim() == "#if NANOFRAMEWORK_1_0"
                && lines[directives[1]].Trim() == "#else"
                && lines[directives[2]].Trim() == "#endif"
                && Body(lines, directives[0], directives[1]) == "using " + NanoNamespace + ";"
                && Body(lines, directives[1], directives[2]) == "using " + MsTestNamespace + ";")
            {
                for (int i = directives[0]; i <= directives[2]; i++)
                {
                    lines[i] = "";
                }

                directives = directives.Skip(3).ToArray();
            }

            if (!helper)
            {
                foreach (int i in directives.Where(i => Regex.IsMatch(lines[i], @"^\s*#\s*(if|elif)\b")))
                {
                    found.Add($"{file}:{i + 1}: {lines[i].Trim()}: per-platform code belongs in {PerPlatformHelper}");
                }
            }
            else
            {
                // The helper's own #if branches name each framework on purpose; only the shared part is scanned.
                var kept = new StringBuilder();
                int depth = 0;
                foreach (string line in lines)
                {
                    string t = line.Trim();
                    if (t.StartsWith("#if")) depth++;
                    bool inside = depth > 0;
                    if (t.StartsWith("#endif")) depth--;
                    kept.Append(inside ? "" : line).Append('\n');
                }

                return kept.ToString(0, kept.Length - 1);
            }

            return string.Join("\n", lines);
        }

        private static string Body(string[] lines, int from, int to)
        {
            return string.Join(" ", lines.Skip(from + 1).Take(to - from - 1).Select(l => l.Trim()).Where(l => l.Length > 0));
        }

        /// <summary>The attribute names (without the Attribute suffix) of every attribute list, with its line.</summary>
        private static IEnumerable<(string, int)> Attributes(string code)
        {
            string[] lines = code.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string t = lines[i].Trim();
                if (!t.StartsWith("["))
                {
                    continue;
                }

                int close = MatchingClose(t, 0);
                string list = t.Substring(1, (close < 0 ? t.Length : close) - 1);
                foreach (string attribute in SplitTopLevel(list))
                {
                    string name = Regex.Match(attribute, @"^\s*([\w.:]+)").Groups[1].Value;
                    name = name.Substring(name.LastIndexOf('.') + 1);
                    if (name.EndsWith("Attribute"))
                    {
                        name = name.Substring(0, name.Length - "Attribute".Length);
                    }

                    yield return (name, i + 1);
                }
            }
        }

        /// <summary>Lines of fields without static/const declared directly in a [TestClass] class body.</summary>
        private static IEnumerable<int> TestClassInstanceFields(string code)
        {
            foreach (Match m in Regex.Matches(code, @"\[\s*TestClass\s*\][^{]*?\bclass\s+\w+[^{]*\{"))
            {
                int depth = 1;
                int start = m.Index + m.Length;
                for (int i = start; i < code.Length && depth > 0; i++)
                {
                    char c = code[i];
                    if (c == '{' || c == '(' || c == '[')
                    {
                        depth++;
                    }
                    else if (c == '}' || c == ')' || c == ']')
                    {
                        depth--;
                        if (depth == 1 && c == '}')
                        {
                            start = i + 1;
                        }
                    }
                    else if (c == ';' && depth == 1)
                    {
                        string declaration = code.Substring(start, i - start);
                        start = i + 1;
                        if (!Regex.IsMatch(declaration, @"\b(static|const)\b") && !declaration.Contains("=>")
                            && Regex.IsMatch(declaration, @"^\s*(\[[^\]]*\]\s*)*(private|internal|public|protected|readonly)\b"))
                        {
                            yield return LineOf(code, i);
                        }
                    }
                }
            }
        }

        /// <summary>The top-level arguments of the call whose '(' follows <paramref name="from"/>.</summary>
        private static string[] Arguments(string code, int from)
        {
            int open = code.IndexOf('(', from);
            int close = open < 0 ? -1 : MatchingClose(code, open);
            if (close < 0)
            {
                return Array.Empty<string>();
            }

            string inside = code.Substring(open + 1, close - open - 1);
            return inside.Trim().Length == 0 ? Array.Empty<string>() : SplitTopLevel(inside).ToArray();
        }

        private static int MatchingClose(string text, int open)
        {
            int depth = 0;
            for (int i = open; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '(' || c == '[' || c == '{') depth++;
                if (c == ')' || c == ']' || c == '}')
                {
                    depth--;
                    if (depth == 0) return i;
                }
            }

            return -1;
        }

        private static IEnumerable<string> SplitTopLevel(string list)
        {
            int depth = 0;
            int start = 0;
            for (int i = 0; i < list.Length; i++)
            {
                char c = list[i];
                if (c == '(' || c == '[' || c == '{') depth++;
                else if (c == ')' || c == ']' || c == '}') depth--;
                else if (c == ',' && depth == 0)
                {
                    yield return list.Substring(start, i - start);
                    start = i + 1;
                }
            }

            yield return list.Substring(start);
        }

        private static int LineOf(string code, int index)
        {
            int line = 1;
            for (int i = 0; i < index; i++)
            {
                if (code[i] == '\n') line++;
            }

            return line;
        }

        /// <summary>
        /// The source with comments blanked and every string or char literal reduced to "" (line breaks
        /// kept, so line numbers stay right): names inside messages are not uses.
        /// </summary>
        public static string WithoutCommentsAndLiterals(string source)
        {
            var result = new StringBuilder(source.Length);
            int i = 0;
            while (i < source.Length)
            {
                char c = source[i];
                char next = i + 1 < source.Length ? source[i + 1] : '\0';
                if (c == '/' && next == '/')
                {
                    while (i < source.Length && source[i] != '\n') i++;
                }
                else if (c == '/' && next == '*')
                {
                    int end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    end = end < 0 ? source.Length : end + 2;
                    result.Append('\n', source.Substring(i, end - i).Count(ch => ch == '\n'));
                    i = end;
                }
                else if (c == '"' || c == '\'' || ((c == '@' || c == '$') && (next == '"' || next == '@' || next == '$')))
                {
                    int start = i;
                    bool verbatim = false;
                    while (source[i] == '@' || source[i] == '$')
                    {
                        verbatim |= source[i] == '@';
                        i++;
                    }

                    char quote = source[i++];
                    while (i < source.Length)
                    {
                        if (!verbatim && source[i] == '\\')
                        {
                            i += 2;
                            continue;
                        }

                        if (source[i] == quote)
                        {
                            if (verbatim && i + 1 < source.Length && source[i + 1] == quote)
                            {
                                i += 2;
                                continue;
                            }

                            i++;
                            break;
                        }

                        i++;
                    }

                    result.Append("\"\"").Append('\n', source.Substring(start, i - start).Count(ch => ch == '\n'));
                }
                else
                {
                    result.Append(c);
                    i++;
                }
            }

            return result.ToString();
        }
    }
}
