using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// nanoCLR runs every static constructor at start-up, type by type in metadata order, assembly by
    /// assembly in load order, and not on first use as .NET does. It does not wait for the assemblies
    /// an assembly references either: the dependency check in nf-interpreter's
    /// <c>CLR_RT_ExecutionEngine::SpawnStaticConstructor</c> (src/CLR/Core/Execution.cpp) sets its flag
    /// to true on both branches. So a static initialiser that reads another type's statics may run
    /// before that type's own and see null; the exception is swallowed and the field stays null. The
    /// rule, over every nano-compiled assembly of the project: nothing that a static constructor runs
    /// (its own code and, transitively, every method of the project it calls) reads or writes a static
    /// field of, or calls a static method of, another type of the project that has a static
    /// constructor. Constant data (array initialisers, literals) is always safe.
    /// </summary>
    [TestClass]
    public class StaticInitialisationTests
    {
        private static List<ModuleDefinition> LoadModules()
        {
            return NanoAssemblies.Dlls().Select(p => ModuleDefinition.ReadModule(p)).ToList();
        }

        /// <summary>Each violation as "Type..cctor → … → Member (of Other, which has a static constructor)".</summary>
        internal static List<string> Violations(IReadOnlyList<ModuleDefinition> modules)
        {
            var ours = new HashSet<string>(modules.Select(m => m.Assembly.Name.Name));
            bool Ours(TypeReference t) => t != null && ours.Contains(t.Scope is ModuleDefinition m ? m.Assembly.Name.Name : t.Scope.Name);
            bool HasCctor(TypeDefinition t) => t != null && t.Methods.Any(m => m.IsConstructor && m.IsStatic);
            TypeDefinition Resolve(TypeReference t) => modules.SelectMany(m => m.GetTypes()).FirstOrDefault(d => d.FullName == t.FullName && Ours(t));

            var violations = new List<string>();
            foreach (TypeDefinition type in modules.SelectMany(m => m.GetTypes()).Where(HasCctor))
            {
                MethodDefinition cctor = type.Methods.First(m => m.IsConstructor && m.IsStatic);
                var seen = new HashSet<MethodDefinition>();
                var work = new Queue<(MethodDefinition Method, string Path)>();
                work.Enqueue((cctor, type.FullName + "..cctor"));
                while (work.Count > 0)
                {
                    (MethodDefinition method, string path) = work.Dequeue();
                    if (!seen.Add(method) || !method.HasBody)
                    {
                        continue;
                    }

                    foreach (Instruction instruction in method.Body.Instructions)
                    {
                        if (instruction.Operand is FieldReference field && Ours(field.DeclaringType)
                            && (instruction.OpCode == OpCodes.Ldsfld || instruction.OpCode == OpCodes.Ldsflda || instruction.OpCode == OpCodes.Stsfld))
                        {
                            TypeDefinition owner = Resolve(field.DeclaringType);
                            if (owner != null && owner != type && HasCctor(owner))
                            {
                                violations.Add($"{path} → {owner.FullName}.{field.Name} ({owner.FullName} has a static constructor)");
                            }
                        }
                        else if (instruction.Operand is MethodReference called && Ours(called.DeclaringType))
                        {
                            MethodDefinition target = called.Resolve();
                            if (target == null)
                            {
                                continue;
                            }

                            if (target.IsStatic && !target.IsConstructor && target.DeclaringType != type && HasCctor(target.DeclaringType))
                            {
                                violations.Add($"{path} → {target.DeclaringType.FullName}.{target.Name}() ({target.DeclaringType.FullName} has a static constructor)");
                            }

                            work.Enqueue((target, path + " → " + target.DeclaringType.Name + "." + target.Name));
                        }
                    }
                }
            }

            return violations;
        }

        [TestMethod]
        public void No_static_initialiser_depends_on_another_types_static_state()
        {
            List<ModuleDefinition> modules = LoadModules();
            Assert.IsTrue(modules.Count >= 5, "nano-compiled assemblies found: " + modules.Count);
            List<string> violations = Violations(modules);
            Assert.AreEqual(0, violations.Count, "nanoCLR may run these before the state they read exists:\n" + string.Join("\n", violations));
        }

        [TestMethod]
        public void The_check_finds_a_slope_table_computed_from_another_types_table()
        {
            // What the packed kernel once had: Activation's slopes computed at start-up from ActivationTables.
            List<string> violations = Violations(new[] { Compile(@"
                namespace Probe
                {
                    internal static class Tables { internal static readonly short[] Sigmoid = new short[] { 1, 2, 4 }; }
                    internal static class Activation
                    {
                        internal static readonly short[] Slope = Slopes(Tables.Sigmoid);
                        private static short[] Slopes(short[] t) { return new short[t.Length - 1]; }
                    }
                    internal static class Indirect
                    {
                        internal static readonly int Length = Helper.Count();
                    }
                    internal static class Helper { internal static int Count() { return Tables.Sigmoid.Length; } }
                    internal static class Fine
                    {
                        internal static readonly short[] Own = new short[] { 1 };
                        internal static readonly int First = Own[0] + Plain.Twice(3);
                    }
                    internal static class Plain { internal static int Twice(int x) { return 2 * x; } }
                }") });
            string all = string.Join("\n", violations);
            Assert.AreEqual(2, violations.Count, all);
            Assert.IsTrue(violations.Contains("Probe.Activation..cctor → Probe.Tables.Sigmoid (Probe.Tables has a static constructor)"), all);
            Assert.IsTrue(violations.Contains("Probe.Indirect..cctor → Helper.Count → Probe.Tables.Sigmoid (Probe.Tables has a static constructor)"), all);
            Assert.IsFalse(violations.Any(v => v.StartsWith("Probe.Fine")), all);
        }

        private static ModuleDefinition Compile(string source)
        {
            var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
                "Probe",
                new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source) },
                new[] { Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
            var stream = new System.IO.MemoryStream();
            Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(stream);
            Assert.IsTrue(result.Success, string.Join("\n", result.Diagnostics));
            stream.Position = 0;
            return ModuleDefinition.ReadModule(stream);
        }
    }
}
