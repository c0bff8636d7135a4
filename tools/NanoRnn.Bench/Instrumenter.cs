using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace NanoRnn.Bench
{
    /// <summary>One method of an instrumented assembly: its per-method counter fields are I{Id} and E{Id}.</summary>
    internal sealed class InstrumentedMethod
    {
        public int Id;
        public string Name;          // Type.Method(parameter types)
        public int Instructions;     // IL instructions in its body, as compiled
        public int Blocks;           // basic blocks
    }

    /// <summary>An instrumented copy of a nano-compiled assembly, in memory and on disk.</summary>
    internal sealed class InstrumentedAssembly
    {
        public string Name;          // simple assembly name, e.g. "NanoRnn"
        public string OriginalPath;
        public string InstrumentedPath;
        public byte[] OriginalImage;
        public byte[] InstrumentedImage;
        public List<InstrumentedMethod> Methods = new List<InstrumentedMethod>();
    }

    /// <summary>
    /// Writes a counting copy of an assembly with Mono.Cecil. At the entry of every basic block of every
    /// method it adds the block's ORIGINAL IL instruction count, its call/callvirt/calli/newobj count and
    /// its allocation count (newarr, newobj of a reference type, box) to static fields of an injected
    /// class <c>NanoRnn.Bench.Injected.Counters</c>; before every newarr it adds the run-time element
    /// count × element size. Nothing else changes: the counting code leaves the evaluation stack as it
    /// found it, so results are identical (the harness checks that on every run).
    /// </summary>
    /// <remarks>
    /// Counts are what a block WOULD execute if it runs to its end: an exception thrown in the middle
    /// of a block over-counts that block's remainder (exceptions are not on any measured path).
    /// Calls into mscorlib (Array.Clear, Array.Copy, string concatenation) count as one call each; the
    /// code inside them is not counted (on nanoCLR most of it is native anyway).
    /// </remarks>
    internal static class Instrumenter
    {
        public const string CounterNamespace = "NanoRnn.Bench.Injected";
        public const string CounterTypeName = "Counters";
        public const string CounterTypeFullName = CounterNamespace + "." + CounterTypeName;

        // Counter fields of the injected class (all static long).
        public const string InstructionsField = "Instructions";
        public const string CallsField = "Calls";
        public const string AllocationsField = "Allocations";
        public const string AllocatedBytesField = "AllocatedBytes";   // element count × element size, object estimates
        public const string HeapBytesField = "HeapBytes";             // the same with nanoCLR's headers and 12-byte rounding
        public const string MethodInstructionsPrefix = "I";           // I{id}: instructions executed in method id
        public const string MethodEntriesPrefix = "E";                // E{id}: times method id was entered

        // nanoCLR stores a reference (or a value type) in an array or a field as one CLR_RT_HeapBlock,
        // 12 bytes on a 32-bit MCU; an array's header is a heap block plus length and element type (20
        // bytes); every allocation is a whole number of 12-byte blocks (nf-interpreter, CLR_RT_HeapBlock_Array).
        public const int HeapBlockBytes = 12;
        public const int ArrayHeaderBytes = 20;

        /// <summary>Instruments <paramref name="inputPath"/> and writes the copy into <paramref name="outputDirectory"/>.</summary>
        /// <param name="inputPath">The nano-compiled assembly.</param>
        /// <param name="outputDirectory">Where the instrumented copy goes (same file name).</param>
        /// <param name="searchDirectories">Where Cecil finds referenced assemblies (nanoFramework's mscorlib, NanoRnn.dll).</param>
        public static InstrumentedAssembly Instrument(string inputPath, string outputDirectory, IEnumerable<string> searchDirectories)
        {
            var resolver = new DefaultAssemblyResolver();
            resolver.RemoveSearchDirectory(".");
            resolver.RemoveSearchDirectory("bin");
            foreach (string directory in searchDirectories)
            {
                resolver.AddSearchDirectory(directory);
            }

            byte[] original = File.ReadAllBytes(inputPath);
            var result = new InstrumentedAssembly
            {
                OriginalPath = inputPath,
                OriginalImage = original,
            };

            using (var module = ModuleDefinition.ReadModule(
                new MemoryStream(original), new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = false }))
            {
                result.Name = module.Assembly.Name.Name;
                if (module.GetType(CounterTypeFullName) != null)
                {
                    throw new BenchFailure(inputPath + " is already instrumented");
                }

                var counters = new CounterFields(module);
                var methods = module.GetTypes()
                    .Where(t => t != counters.Type)
                    .SelectMany(t => t.Methods)
                    .Where(m => m.HasBody && m.Body.Instructions.Count > 0)
                    .ToList();
                foreach (MethodDefinition method in methods)
                {
                    var entry = new InstrumentedMethod { Id = result.Methods.Count, Name = DisplayName(method) };
                    result.Methods.Add(entry);
                    InstrumentMethod(method, counters, entry);
                }

                var output = new MemoryStream();
                module.Write(output);
                result.InstrumentedImage = output.ToArray();
            }

            Directory.CreateDirectory(outputDirectory);
            result.InstrumentedPath = Path.Combine(outputDirectory, Path.GetFileName(inputPath));
            File.WriteAllBytes(result.InstrumentedPath, result.InstrumentedImage);
            return result;
        }

        /// <summary>Type.Method(parameter types), short enough for a table.</summary>
        public static string DisplayName(MethodDefinition method)
        {
            string parameters = string.Join(", ", method.Parameters.Select(p => p.ParameterType.Name));
            return method.DeclaringType.Name + "." + method.Name + "(" + parameters + ")";
        }

        private sealed class Block
        {
            public Instruction Leader;
            public int Instructions;
            public int Calls;
            public int Allocations;
            public long StaticBytes;       // newobj and box in this block (estimates, see ObjectBytes)
            public long StaticHeapBytes;
        }

        private static void InstrumentMethod(MethodDefinition method, CounterFields counters, InstrumentedMethod entry)
        {
            MethodBody body = method.Body;
            body.SimplifyMacros();   // long branch forms while we insert; OptimizeMacros shortens them again
            List<Instruction> code = body.Instructions.ToList();
            List<Block> blocks = FindBlocks(body, code);
            entry.Instructions = code.Count;
            entry.Blocks = blocks.Count;
            FieldDefinition methodInstructions = counters.AddMethodField(MethodInstructionsPrefix + entry.Id);
            FieldDefinition methodEntries = counters.AddMethodField(MethodEntriesPrefix + entry.Id);

            // 1. Array sizes at run time: length stays on the stack, CountArray adds length × size and
            //    returns the length for newarr.
            foreach (Instruction newarr in code.Where(i => i.OpCode.Code == Code.Newarr))
            {
                int elementSize = ArrayElementBytes((TypeReference)newarr.Operand);
                InsertBefore(body, newarr, new[]
                {
                    Instruction.Create(OpCodes.Ldc_I4, elementSize),
                    Instruction.Create(OpCodes.Call, counters.CountArray),
                });
            }

            // 2. Block counters at every leader (a leader may now be the first instruction of step 1's code).
            foreach (Block block in blocks)
            {
                var add = new List<Instruction>();
                AddTo(add, counters.Instructions, block.Instructions);
                AddTo(add, methodInstructions, block.Instructions);
                AddTo(add, counters.Calls, block.Calls);
                AddTo(add, counters.Allocations, block.Allocations);
                AddTo(add, counters.AllocatedBytes, block.StaticBytes);
                AddTo(add, counters.HeapBytes, block.StaticHeapBytes);
                InsertBefore(body, block.Leader, add);
            }

            // 3. Entry count: a prologue nothing branches to (a loop may start at IL offset 0).
            var prologue = new List<Instruction>();
            AddTo(prologue, methodEntries, 1);
            for (int i = prologue.Count - 1; i >= 0; i--)
            {
                body.Instructions.Insert(0, prologue[i]);
            }

            body.OptimizeMacros();
        }

        // Leaders: the first instruction, every branch/switch target, every instruction after a branch,
        // switch, return, throw, leave or endfinally, and every try/handler/filter boundary.
        private static List<Block> FindBlocks(MethodBody body, List<Instruction> code)
        {
            var leaders = new HashSet<Instruction> { code[0] };
            for (int i = 0; i < code.Count; i++)
            {
                Instruction instruction = code[i];
                if (instruction.Operand is Instruction target)
                {
                    leaders.Add(target);
                }
                else if (instruction.Operand is Instruction[] targets)
                {
                    leaders.UnionWith(targets);
                }

                switch (instruction.OpCode.FlowControl)
                {
                    case FlowControl.Branch:
                    case FlowControl.Cond_Branch:
                    case FlowControl.Return:
                    case FlowControl.Throw:
                        if (i + 1 < code.Count)
                        {
                            leaders.Add(code[i + 1]);
                        }

                        break;
                }
            }

            foreach (ExceptionHandler handler in body.ExceptionHandlers)
            {
                foreach (Instruction boundary in new[] { handler.TryStart, handler.TryEnd, handler.HandlerStart, handler.HandlerEnd, handler.FilterStart })
                {
                    if (boundary != null)
                    {
                        leaders.Add(boundary);
                    }
                }
            }

            var blocks = new List<Block>();
            Block current = null;
            foreach (Instruction instruction in code)
            {
                if (leaders.Contains(instruction))
                {
                    current = new Block { Leader = instruction };
                    blocks.Add(current);
                }

                current.Instructions++;
                switch (instruction.OpCode.Code)
                {
                    case Code.Call:
                    case Code.Callvirt:
                    case Code.Calli:
                        current.Calls++;
                        break;
                    case Code.Newobj:
                        current.Calls++;   // the constructor call
                        TypeDefinition created = TryResolve(((MethodReference)instruction.Operand).DeclaringType);
                        if (created == null || !created.IsValueType)
                        {
                            current.Allocations++;
                            long bytes = ObjectBytes(created);
                            current.StaticBytes += bytes;
                            current.StaticHeapBytes += bytes;
                        }

                        break;
                    case Code.Newarr:
                        current.Allocations++;   // bytes are added at run time
                        break;
                    case Code.Box:
                        current.Allocations++;
                        current.StaticBytes += 2 * HeapBlockBytes;   // header + the value
                        current.StaticHeapBytes += 2 * HeapBlockBytes;
                        break;
                }
            }

            return blocks;
        }

        // Inserts code so that it runs before target, and everything that pointed at target (branches,
        // switch tables, exception-handler boundaries) now points at the inserted code: target itself
        // becomes code[0] and a copy of target follows the inserted code.
        private static void InsertBefore(MethodBody body, Instruction target, IList<Instruction> code)
        {
            if (code.Count == 0)
            {
                return;
            }

            Instruction moved = Instruction.Create(OpCodes.Nop);
            moved.OpCode = target.OpCode;
            moved.Operand = target.Operand;
            target.OpCode = code[0].OpCode;
            target.Operand = code[0].Operand;
            int index = body.Instructions.IndexOf(target);
            for (int i = 1; i < code.Count; i++)
            {
                body.Instructions.Insert(index + i, code[i]);
            }

            body.Instructions.Insert(index + code.Count, moved);
        }

        // field += amount (stack-neutral)
        private static void AddTo(List<Instruction> code, FieldReference field, long amount)
        {
            if (amount == 0)
            {
                return;
            }

            code.Add(Instruction.Create(OpCodes.Ldsfld, field));
            code.Add(Instruction.Create(OpCodes.Ldc_I8, amount));
            code.Add(Instruction.Create(OpCodes.Add));
            code.Add(Instruction.Create(OpCodes.Stsfld, field));
        }

        // Bytes per element as nanoCLR stores them: primitives packed, anything else one heap block.
        private static int ArrayElementBytes(TypeReference element)
        {
            switch (element.MetadataType)
            {
                case MetadataType.Boolean:
                case MetadataType.SByte:
                case MetadataType.Byte:
                    return 1;
                case MetadataType.Char:
                case MetadataType.Int16:
                case MetadataType.UInt16:
                    return 2;
                case MetadataType.Int32:
                case MetadataType.UInt32:
                case MetadataType.Single:
                    return 4;
                case MetadataType.Int64:
                case MetadataType.UInt64:
                case MetadataType.Double:
                    return 8;
                default:
                    return HeapBlockBytes;
            }
        }

        // An object on nanoCLR: one heap block of header and one per instance field, base classes included.
        private static long ObjectBytes(TypeDefinition type)
        {
            int fields = 0;
            for (TypeDefinition t = type; t != null; t = t.BaseType == null ? null : TryResolve(t.BaseType))
            {
                fields += t.Fields.Count(f => !f.IsStatic);
            }

            return HeapBlockBytes * (1L + fields);
        }

        private static TypeDefinition TryResolve(TypeReference type)
        {
            try
            {
                return type.Resolve();
            }
            catch (AssemblyResolutionException)
            {
                return null;
            }
        }

        /// <summary>The injected counter class and its fields.</summary>
        private sealed class CounterFields
        {
            public readonly TypeDefinition Type;
            public readonly FieldDefinition Instructions;
            public readonly FieldDefinition Calls;
            public readonly FieldDefinition Allocations;
            public readonly FieldDefinition AllocatedBytes;
            public readonly FieldDefinition HeapBytes;
            public readonly MethodDefinition CountArray;
            private readonly ModuleDefinition module;

            public CounterFields(ModuleDefinition module)
            {
                this.module = module;
                Type = new TypeDefinition(
                    CounterNamespace, CounterTypeName,
                    TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class,
                    module.TypeSystem.Object);
                module.Types.Add(Type);
                Instructions = AddMethodField(InstructionsField);
                Calls = AddMethodField(CallsField);
                Allocations = AddMethodField(AllocationsField);
                AllocatedBytes = AddMethodField(AllocatedBytesField);
                HeapBytes = AddMethodField(HeapBytesField);
                CountArray = CreateCountArray();
            }

            public FieldDefinition AddMethodField(string name)
            {
                var field = new FieldDefinition(name, FieldAttributes.Public | FieldAttributes.Static, module.TypeSystem.Int64);
                Type.Fields.Add(field);
                return field;
            }

            // static int CountArray(int length, int elementSize)
            // {
            //     AllocatedBytes += (long)length * elementSize;
            //     HeapBytes += ((long)length * elementSize + ArrayHeaderBytes + 11) / 12 * 12;
            //     return length;
            // }
            private MethodDefinition CreateCountArray()
            {
                var method = new MethodDefinition(
                    "CountArray", MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
                    module.TypeSystem.Int32);
                method.Parameters.Add(new ParameterDefinition("length", ParameterAttributes.None, module.TypeSystem.Int32));
                method.Parameters.Add(new ParameterDefinition("elementSize", ParameterAttributes.None, module.TypeSystem.Int32));
                ILProcessor il = method.Body.GetILProcessor();
                il.Emit(OpCodes.Ldsfld, AllocatedBytes);
                EmitPayload(il);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Stsfld, AllocatedBytes);
                il.Emit(OpCodes.Ldsfld, HeapBytes);
                EmitPayload(il);
                il.Emit(OpCodes.Ldc_I8, (long)(ArrayHeaderBytes + HeapBlockBytes - 1));
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Ldc_I8, (long)HeapBlockBytes);
                il.Emit(OpCodes.Div);
                il.Emit(OpCodes.Ldc_I8, (long)HeapBlockBytes);
                il.Emit(OpCodes.Mul);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Stsfld, HeapBytes);
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ret);
                Type.Methods.Add(method);
                return method;
            }

            private static void EmitPayload(ILProcessor il)
            {
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Conv_I8);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Conv_I8);
                il.Emit(OpCodes.Mul);
            }
        }
    }
}
