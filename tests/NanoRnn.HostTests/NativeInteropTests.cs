using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// The managed half of NanoRnn.Native against its interop glue (firmware/NanoRnn.Native/native):
    /// every method of INativeKernel is an InternalCall of NativeKernel, the glue's method table has a
    /// handler for each in the same order and null for the managed methods, and each handler reads the
    /// argument count the declaration has. The C kernels themselves are tested by test_native_kernels.py.
    /// </summary>
    [TestClass]
    public class NativeInteropTests
    {
        private static readonly string Glue = Path.Combine(Repo.Root, "firmware", "NanoRnn.Native", "native", "nanornn_interop.cpp");

        private static MethodInfo[] NativeMethods()
        {
            Type kernel = typeof(NanoRnn.Native.NativeKernel);
            return typeof(INativeKernel).GetMethods()
                .Select(m => kernel.GetMethod(m.Name, m.GetParameters().Select(p => p.ParameterType).ToArray()))
                .ToArray();
        }

        [TestMethod]
        public void Every_kernel_method_is_an_internal_call_of_NativeKernel()
        {
            foreach (MethodInfo method in NativeMethods())
            {
                Assert.IsNotNull(method);
                Assert.IsTrue((method.GetMethodImplementationFlags() & MethodImplAttributes.InternalCall) != 0, method.Name);
            }

            Assert.IsTrue(typeof(INativeKernel).IsAssignableFrom(typeof(NanoRnn.Native.NativeKernel)));
        }

        [TestMethod]
        public void The_glue_has_a_handler_for_each_in_declaration_order()
        {
            string glue = File.ReadAllText(Glue);
            Match table = Regex.Match(glue, @"method_lookup\[\] = \{(.*?)\};", RegexOptions.Singleline);
            Assert.IsTrue(table.Success, "no method_lookup table in " + Glue);
            string[] entries = table.Groups[1].Value.Split(',').Select(e => e.Trim()).Where(e => e.Length > 0).ToArray();
            string[] natives = NativeMethods().Select(m => m.Name).ToArray();
            int managed = typeof(NanoRnn.Native.NativeKernel).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Length
                + typeof(NanoRnn.Native.NativeKernel).GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance).Length
                - natives.Length;
            CollectionAssert.AreEqual(natives.Concat(Enumerable.Repeat("nullptr", managed)).ToArray(), entries);
        }

        [TestMethod]
        public void Each_handler_reads_the_arguments_its_declaration_has()
        {
            string glue = File.ReadAllText(Glue);
            foreach (MethodInfo method in NativeMethods())
            {
                // The comment above each handler spells the managed signature; its argument count is the declaration's.
                Match comment = Regex.Match(glue, @"// void " + method.Name + @"\((.*?)\)\s*\n(//.*\n)*HRESULT " + method.Name, RegexOptions.Singleline);
                Assert.IsTrue(comment.Success, method.Name + ": no signature comment above its handler");
                int declared = comment.Groups[1].Value.Replace("//", "").Split(',').Length;
                Assert.AreEqual(method.GetParameters().Length, declared, method.Name);
            }
        }

        [TestMethod]
        public void The_glue_reads_StepLayers_shapes_and_arrays_as_NativeKernels_lays_them_out()
        {
            string glue = File.ReadAllText(Glue);
            Match shapeInts = Regex.Match(glue, @"c_shapeInts = (\d+);");
            Assert.IsTrue(shapeInts.Success, "no c_shapeInts in " + Glue);
            Assert.AreEqual(NativeKernels.ShapeInts, int.Parse(shapeInts.Groups[1].Value));
            Match layerArrays = Regex.Match(glue, @"enum LayerArray\s*\{([^}]*)\}");
            Assert.IsTrue(layerArrays.Success, "no enum LayerArray in " + Glue);
            string[] names = layerArrays.Groups[1].Value.Split(',').Select(n => n.Trim()).ToArray();
            CollectionAssert.AreEqual(
                new[] { "Wx", "Wh", "Bias", "Mx", "Mh", "Shift", "Pre", "Gates", "Cell", "Hidden", "ArraysPerLayer" }, names);
            Assert.AreEqual(NativeKernels.ArraysPerLayer, names.Length - 1);
        }

        [TestMethod]
        public void The_glue_states_the_checksum_and_the_declared_native_version_as_the_firmware_build_reads_them()
        {
            // nf-interpreter's build lists a native assembly's version and checksum by reading the
            // literals of its CLR_RT_NativeAssemblyData initializer (CMake/Modules/FindNF_NativeAssemblies.cmake).
            string glue = File.ReadAllText(Glue);
            Match data = Regex.Match(glue,
                @"CLR_RT_NativeAssemblyData\s+g_CLR_AssemblyNative_NanoRnn_Native\s*=[^{]+\{[^0]+0x([0-9A-Fa-f]{8})[^{]+\{\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+)");
            Assert.IsTrue(data.Success, "no literal checksum and version in g_CLR_AssemblyNative_NanoRnn_Native");
            string source = File.ReadAllText(Path.Combine(Repo.Root, "firmware", "NanoRnn.Native", "NativeKernel.cs"));
            Match declared = Regex.Match(source, @"AssemblyNativeVersion\(""(\d+)\.(\d+)\.(\d+)\.(\d+)""\)");
            Assert.IsTrue(declared.Success, "NativeKernel.cs declares no AssemblyNativeVersion");
            for (int part = 1; part <= 4; part++)
            {
                Assert.AreEqual(declared.Groups[part].Value, data.Groups[part + 1].Value, "version part " + part);
            }

            StringAssert.Contains(File.ReadAllText(Path.Combine(Repo.Root, "docs", "native.md")), "0x" + data.Groups[1].Value);
        }
    }
}
