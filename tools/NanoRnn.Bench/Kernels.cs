using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace NanoRnn.Bench
{
    /// <summary>
    /// One running network, driven through delegates bound by reflection to an object in a
    /// <see cref="NanoContext"/>: an <c>RnnNetwork</c> with one of its kernels, the reference kernel included.
    /// Everything but Step, ComputeOutput, Reset and CopyHidden is optional, so the harness keeps
    /// working while the library's API grows or shrinks.
    /// </summary>
    internal sealed class Network
    {
        public const string Reference = "reference";   // RnnNetwork.WithReferenceKernel(model): the equations as written
        public const string Compact = "compact";   // RnnNetwork(model, packWeights: false)
        public const string Packed = "packed";     // RnnNetwork(model, packWeights: true)
        public const string Default = "default";   // RnnNetwork(model), when there is no kernel choice

        // RnnNetwork(model, packWeights: true) with its stages recorded: what keeping pre and gates costs.
        // Every other real kernel records its stages when the library can (only the packed one's cost
        // depends on it), so the checks compare them too.
        public const string PackedRecorded = "packed, stages recorded";

        // RnnNetwork(Load(blob, false), reader, rows): the array reader (ByteArrayBlobReader) or one that
        // allocates per read as nanoFramework's ResourceUtility.GetObject does (StandIns/AllocatingBlobReader).
        public const string Streamed16Array = "streamed 16, array";
        public const string StreamedAllArray = "streamed all, array";
        public const string Streamed16Resource = "streamed 16, resource";
        public const string StreamedAllResource = "streamed all, resource";
        public const int StreamedChunkRows = 16;

        public string Kernel;
        public object Instance;
        public Action<short[], int> Step;
        public Action<int[], int> ComputeOutput;
        public Action Reset;
        public Action<short[], int> CopyHidden;
        public Action<short[], int> CopyCell;
        public Action<short[], int> CopyGates;
        public Action<short[], int> CopyPreActivations;

        /// <summary>The kernels RnnNetwork offers: compact and packed if it has the (model, bool) constructor.</summary>
        public static IReadOnlyList<string> RealKernels(Assembly library)
        {
            Type network = library.GetType("NanoRnn.RnnNetwork", true);
            Type model = library.GetType("NanoRnn.RnnModel", true);
            if (network.GetConstructor(new[] { model, typeof(bool) }) == null)
            {
                return new[] { Default };
            }

            return network.GetProperty("RecordStages") != null || network.GetProperty("Stages") != null
                ? new[] { Compact, Packed, PackedRecorded }
                : new[] { Compact, Packed };
        }

        /// <summary>The streamed variants, if RnnNetwork has the (model, IBlobReader, int) constructor.</summary>
        public static IReadOnlyList<string> StreamedKernels(Assembly library)
        {
            Type network = library.GetType("NanoRnn.RnnNetwork", true);
            Type model = library.GetType("NanoRnn.RnnModel", true);
            Type reader = library.GetType("NanoRnn.IBlobReader", false);
            return reader != null && network.GetConstructor(new[] { model, reader, typeof(int) }) != null
                ? new[] { Streamed16Array, StreamedAllArray, Streamed16Resource, StreamedAllResource }
                : new string[0];
        }

        public static bool IsStreamed(string kernel)
        {
            return kernel.StartsWith("streamed", StringComparison.Ordinal);
        }

        /// <summary>Whether the kernel's reader allocates on every read by design (the resource stand-in).</summary>
        public static bool ReaderAllocates(string kernel)
        {
            return IsStreamed(kernel) && kernel.EndsWith("resource", StringComparison.Ordinal);
        }

        /// <summary>The model a kernel runs: RnnModel.Load(blob, false) for the streamed ones, else RnnModel.Load(blob).</summary>
        public static object ModelFor(Assembly library, string kernel, byte[] blob)
        {
            return IsStreamed(kernel) ? LoadModel(library, blob, false) : LoadModel(library, blob);
        }

        /// <summary>Which kernel <c>new RnnNetwork(model)</c> picks, if the library says (UsesPackedWeights).</summary>
        public static string DefaultKernelOf(Network network)
        {
            PropertyInfo packed = network.Instance.GetType().GetProperty("UsesPackedWeights");
            if (packed == null)
            {
                return Default;
            }

            return (bool)packed.GetValue(network.Instance) ? Packed : Compact;
        }

        /// <summary>RnnModel.Load(blob).</summary>
        public static object LoadModel(Assembly library, byte[] blob)
        {
            MethodInfo load = library.GetType("NanoRnn.RnnModel", true).GetMethod("Load", new[] { typeof(byte[]) })
                ?? throw new BenchFailure("NanoRnn.dll has no RnnModel.Load(byte[])");
            return Invoke(() => load.Invoke(null, new object[] { blob }));
        }

        /// <summary>RnnModel.Load(blob, copyGateWeights).</summary>
        public static object LoadModel(Assembly library, byte[] blob, bool copyGateWeights)
        {
            MethodInfo load = library.GetType("NanoRnn.RnnModel", true).GetMethod("Load", new[] { typeof(byte[]), typeof(bool) })
                ?? throw new BenchFailure("NanoRnn.dll has no RnnModel.Load(byte[], bool)");
            return Invoke(() => load.Invoke(null, new object[] { blob, copyGateWeights }));
        }

        /// <summary>Whether the library has RnnModel.Load(IBlobReader, int), the load that reads the blob through a reader.</summary>
        public static bool HasReaderLoad(Assembly library)
        {
            return ReaderLoadMethod(library) != null;
        }

        /// <summary>
        /// An IBlobReader over <paramref name="blob"/>: the library's ByteArrayBlobReader, or the resource
        /// stand-in that allocates what each read returns (StandIns/AllocatingBlobReader).
        /// </summary>
        public static object CreateReader(NanoContext context, byte[] blob, bool allocating)
        {
            Type readerType = allocating
                ? context.StandIns.GetType("NanoRnn.Bench.StandIns.AllocatingBlobReader", true)
                : context.Library.GetType("NanoRnn.ByteArrayBlobReader", true);
            return Invoke(() => Activator.CreateInstance(readerType, blob));
        }

        /// <summary>RnnModel.Load(reader, blobLength).</summary>
        public static object LoadModel(Assembly library, object reader, int blobLength)
        {
            MethodInfo load = ReaderLoadMethod(library) ?? throw new BenchFailure("NanoRnn.dll has no RnnModel.Load(IBlobReader, int)");
            return Invoke(() => load.Invoke(null, new object[] { reader, blobLength }));
        }

        private static MethodInfo ReaderLoadMethod(Assembly library)
        {
            Type reader = library.GetType("NanoRnn.IBlobReader", false);
            return reader == null ? null : library.GetType("NanoRnn.RnnModel", true).GetMethod("Load", new[] { reader, typeof(int) });
        }

        /// <summary>Whether the library has the reference kernel (RnnNetwork.WithReferenceKernel).</summary>
        public static bool HasReference(Assembly library)
        {
            return library.GetType("NanoRnn.RnnNetwork", true).GetMethod("WithReferenceKernel") != null;
        }

        /// <summary>A network of the given kernel on <paramref name="model"/>, or for a streamed one on a reader over <paramref name="blob"/>.</summary>
        public static Network Create(NanoContext context, string kernel, object model, byte[] blob)
        {
            object instance;
            if (kernel == Reference)
            {
                MethodInfo create = context.Library.GetType("NanoRnn.RnnNetwork", true).GetMethod("WithReferenceKernel")
                    ?? throw new BenchFailure("NanoRnn.dll has no RnnNetwork.WithReferenceKernel(RnnModel)");
                instance = Invoke(() => create.Invoke(null, new[] { model }));
            }
            else if (IsStreamed(kernel))
            {
                Type network = context.Library.GetType("NanoRnn.RnnNetwork", true);
                object reader = CreateReader(context, blob, ReaderAllocates(kernel));
                int rows = kernel.StartsWith("streamed all", StringComparison.Ordinal) ? int.MaxValue : StreamedChunkRows;
                instance = Invoke(() => Activator.CreateInstance(network, model, reader, rows));
            }
            else
            {
                Type network = context.Library.GetType("NanoRnn.RnnNetwork", true);
                instance = Invoke(() => kernel == Default
                    ? Activator.CreateInstance(network, model)
                    : Activator.CreateInstance(network, model, kernel == Packed || kernel == PackedRecorded));
            }

            object stages = StagesOf(instance);
            PropertyInfo record = RecordProperty(stages);
            if (record != null && kernel != Packed)
            {
                record.SetValue(stages, true);
            }

            return Bind(kernel, instance, stages);
        }

        // What the stage copies are called on: RnnNetwork.Stages, or the network itself in a library
        // that has them there.
        private static object StagesOf(object instance)
        {
            PropertyInfo stages = instance.GetType().GetProperty("Stages");
            return stages == null ? instance : stages.GetValue(instance);
        }

        private static PropertyInfo RecordProperty(object stages)
        {
            return stages.GetType().GetProperty("Record") ?? stages.GetType().GetProperty("RecordStages");
        }

        private static Network Bind(string kernel, object instance, object stages)
        {
            Type type = instance.GetType();
            Type stageType = stages.GetType();
            return new Network
            {
                Kernel = kernel,
                Instance = instance,
                Step = Method<Action<short[], int>>(type, instance, "Step", true),
                ComputeOutput = Method<Action<int[], int>>(type, instance, "ComputeOutput", true),
                Reset = Method<Action>(type, instance, "Reset", true),
                CopyHidden = Method<Action<short[], int>>(stageType, stages, "CopyHidden", true),
                CopyCell = Method<Action<short[], int>>(stageType, stages, "CopyCell", false),
                CopyGates = Records(stages) ? Method<Action<short[], int>>(stageType, stages, "CopyGates", false) : null,
                CopyPreActivations = Records(stages) ? Method<Action<short[], int>>(stageType, stages, "CopyPreActivations", false) : null,
            };
        }

        // Whether the network keeps its pre-activations and gates (true for a library that cannot turn it off).
        private static bool Records(object stages)
        {
            PropertyInfo record = RecordProperty(stages);
            return record == null || (bool)record.GetValue(stages);
        }

        private static T Method<T>(Type type, object instance, string name, bool required)
            where T : Delegate
        {
            Type[] parameters = Array.ConvertAll(typeof(T).GetMethod("Invoke").GetParameters(), p => p.ParameterType);
            MethodInfo method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, null, parameters, null);
            if (method == null)
            {
                if (required)
                {
                    throw new BenchFailure(type.FullName + " has no public " + name + "(" + string.Join(", ", Array.ConvertAll(parameters, p => p.Name)) + ")");
                }

                return null;
            }

            return (T)Delegate.CreateDelegate(typeof(T), instance, method);
        }

        /// <summary>Runs a reflective call and rethrows what the callee threw, not the TargetInvocationException.</summary>
        public static object Invoke(Func<object> call)
        {
            try
            {
                return call();
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }
    }
}
