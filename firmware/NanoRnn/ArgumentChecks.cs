using System;

namespace NanoRnn
{
    /// <summary>
    /// Argument checks done once at the top of each public method, so a wrong array or offset is an
    /// ArgumentException naming the parameter, never an IndexOutOfRangeException from inside a kernel.
    /// </summary>
    internal static class ArgumentChecks
    {
        /// <summary>Throws unless <paramref name="array"/>[offset .. offset + count) exists.</summary>
        internal static void CheckRange(Array array, int offset, int count, string arrayName)
        {
            if (array == null)
            {
                throw new ArgumentNullException(arrayName);
            }

            if (count < 0)
            {
                throw new ArgumentOutOfRangeException("count", "count " + count + " is negative");
            }

            if (offset < 0)
            {
                throw new ArgumentOutOfRangeException("offset", "offset " + offset + " is negative");
            }

            if (offset > array.Length - count)
            {
                throw new ArgumentOutOfRangeException(
                    "offset",
                    "offset " + offset + " and " + count + " values need " + ((long)offset + count)
                    + " elements in " + arrayName + ", which has " + array.Length);
            }
        }
    }
}
