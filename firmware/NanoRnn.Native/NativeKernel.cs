using System.Reflection;
using System.Runtime.CompilerServices;

[assembly: AssemblyNativeVersion("1.0.0.0")]

namespace NanoRnn.Native
{
    /// <summary>
    /// NanoRnn's layer step and head in C (native/), reached through nanoFramework interop: the
    /// methods below are implemented by the firmware (docs/native.md), bit for bit as the reference
    /// kernels. nanoCLR runs static constructors when the application starts, so deploying this
    /// assembly with the application installs the kernel (<see cref="NativeKernels.Install"/>) before
    /// any network is built. On a firmware without the native part nanoCLR refuses to load this
    /// assembly; an application that must also run there is built without it.
    /// </summary>
    public sealed class NativeKernel : INativeKernel
    {
        static NativeKernel()
        {
            NativeKernels.Install(new NativeKernel());
        }

        private NativeKernel()
        {
        }

        /// <summary>Installs the native kernel (the static constructor has already done so on nanoCLR).</summary>
        public static void Install()
        {
            if (!(NativeKernels.Installed is NativeKernel))
            {
                NativeKernels.Install(new NativeKernel());
            }
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void StepLayers(int[] shapes, object[] arrays, short[] input, int inputOffset);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void Linear(sbyte[] w, int[] bias, int[] multiplier, byte[] shift, short[] v, int columns, int rows, int[] output, int outputOffset);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void LinearRelu(sbyte[] w, int[] bias, int[] multiplier, byte[] shift, short[] v, int columns, int rows, short[] units);
    }
}
