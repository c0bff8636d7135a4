using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// Every assembly that goes to nanoCLR fits the .pe format's 16-bit tables with room to spare:
    /// each nano-compiled assembly of the repository, and the firmware tests, whose host build
    /// (NanoRnn.Tests.dll, against MSTest, less its host-only test classes and the desktop code it
    /// links) stands in for NFUnitTest, which cannot be compiled here. The estimate
    /// (<see cref="PeTables"/>) errs high: on the nanoCLR build of the same sources the processor
    /// wrote 5 341 / 5 620 / 20 749 bytes of strings, signatures and byte code for NanoRnn (estimated
    /// here 7 008 / 6 395 / 25 851), 6 696 / 45 317 / 1 285 for the largest golden part (7 146 / 45 855 /
    /// 2 001) and 29 758 / 1 794 / 26 340 for NFUnitTest.
    /// </summary>
    [TestClass]
    public class PeTableTests
    {
        /// <summary>
        /// An estimate above this fails: 7/8 of the limit, so that growth shows before the processor
        /// wraps an offset. The golden vectors are split to stay below it (tools/nanornn/golden.py).
        /// </summary>
        public const int Budget = PeTables.Limit / 8 * 7;

        private static IEnumerable<PeTables> Estimates()
        {
            foreach (string path in NanoAssemblies.Dlls())
            {
                yield return PeTables.Of(ModuleDefinition.ReadModule(path));
            }

            yield return PeTables.Of(ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "NanoRnn.Tests.dll")),
                t => !t.Name.EndsWith("HostTests", StringComparison.Ordinal) && !t.FullName.StartsWith("NanoRnn.Desktop.", StringComparison.Ordinal));
        }

        [TestMethod]
        public void Every_table_of_every_assembly_stays_within_the_budget()
        {
            var over = new List<string>();
            foreach (PeTables tables in Estimates())
            {
                foreach (string table in PeTables.Names)
                {
                    long size = tables.Size(table);
                    Console.WriteLine($"{tables.Assembly,-28} {table,-10} {size,7}");
                    if (size > Budget)
                    {
                        over.Add($"{tables.Assembly}: {table} about {size} bytes, over the budget of {Budget} "
                                 + $"(the limit is {PeTables.Limit}); largest: {tables.Largest(table, 4)}");
                    }
                }
            }

            Assert.AreEqual(0, over.Count, string.Join("\n", over));
        }
    }
}
