using System;
using System.IO;
using System.Text;

namespace NanoRnn.HostTests
{
    /// <summary>Writes small .npy files for the tests (format 1.0, C order).</summary>
    internal static class Npy
    {
        public static byte[] Bytes(string descr, string shape, byte[] data, bool fortran = false, int major = 1)
        {
            string header = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({shape}), }}";
            int prefix = major == 1 ? 10 : 12;
            int padded = (prefix + header.Length + 1 + 63) / 64 * 64 - prefix;
            header = header.PadRight(padded - 1) + "\n";
            var stream = new MemoryStream();
            stream.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 });
            if (major == 1)
            {
                stream.Write(BitConverter.GetBytes((ushort)header.Length));
            }
            else
            {
                stream.Write(BitConverter.GetBytes((uint)header.Length));
            }

            stream.Write(Encoding.ASCII.GetBytes(header));
            stream.Write(data);
            return stream.ToArray();
        }

        public static byte[] Floats(params float[] values)
        {
            var data = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, data, 0, data.Length);
            return data;
        }

        public static byte[] Doubles(params double[] values)
        {
            var data = new byte[values.Length * 8];
            Buffer.BlockCopy(values, 0, data, 0, data.Length);
            return data;
        }
    }
}
