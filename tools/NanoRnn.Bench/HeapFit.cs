using System;
using System.Collections.Generic;

namespace NanoRnn.Bench
{
    /// <summary>
    /// RAM of a single-layer LSTM C→H with K classes and no records in each mode, from the arrays the
    /// library allocates (RnnModel, RnnLayer, DenseLayer, RnnNetwork, PackedGatePreActivations; docs/performance.md,
    /// "Memory") with nanoCLR's heap rule (20-byte array header, 12-byte blocks), plus a constant per
    /// mode for the objects, taken from one measured model (<see cref="Calibrate"/>). The report shows
    /// the prediction next to the measurement for every measured single-layer LSTM.
    /// </summary>
    internal static class HeapFit
    {
        public const string Compact = "compact", Packed = "packed", Streamed = "streamed 16";
        public static readonly string[] Modes = { Compact, Packed, Streamed };

        /// <summary>The format's largest H (docs/model-format.md).</summary>
        public const int MaxHidden = 512;

        /// <summary>Model + network heap after Load, by mode (objects excluded: see Calibrate).</summary>
        public static long Arrays(string mode, int c, int h, int k)
        {
            return ModelArrays(mode, c, h, k) + NetworkArrays(mode, c, h, k);
        }

        // What RnnModel.Load keeps: the input section, the layer's per-row sections, its gate weights
        // unless streamed, the head.
        private static long ModelArrays(string mode, int c, int h, int k)
        {
            long r = 4L * h;
            long model = Array(9 * c) + Array(12)                                   // input section (scale, zero, source); Layers[1]
                + Array(4 * r) * 3 + Array(r) * 2                                   // bias, mx, mh; shift, and sh until CommonShift
                + Array(4 * k) * 2 + Array(k) + Array(k * h);                       // head bias, m, s, W
            return mode == Streamed ? model : model + Array(r * c) + Array(r * h);  // Wx, Wh
        }

        // What the RnnNetwork constructor allocates.
        private static long NetworkArrays(string mode, int c, int h, int k)
        {
            long r = 4L * h;
            long network = Array(12) * 5 + Array(2 * r) * 2 + Array(2 * h) * 2;   // 4 jagged arrays + packed[1]; pre, gates; c, h
            if (mode == Streamed)
            {
                long rows = Math.Min(Network.StreamedChunkRows, r);
                network += Array(4) + Array(Math.Max(256, rows * (c + h)));        // chunkRows[1], chunk
            }
            else if (mode == Packed)
            {
                long pairs = RoundUp(r / 2, 16), columns = RoundUp(c, 2) + RoundUp(h, 8);
                network += Array(12 * (pairs / 16)) + pairs / 16 * Array(12 * 16)  // passes[P / 16][16] ...
                    + pairs * Array(8 * columns)                                    // ... [C' + H']
                    + (Array(8 * (r / 2)) * 4 + Array(4 * (r / 2))) * 2             // PairRescales High, Low: Mx, Mh, K, Ku; S
                    + Array(2 * columns) + Array(8 * pairs) * 2                     // v; SumX, SumH
                    + Array(4 * 2 * h) * 2;                                         // highRow, lowRow (LstmPairs)
            }

            return network;
        }

        /// <summary>Blob bytes without records: 32 + 9C + 8 + R·(22 + C + H) + K·(13 + H) + 4, R = 4H.</summary>
        public static long BlobBytes(int c, int h, int k)
        {
            return 32 + 9L * c + 8 + 4L * h * (22 + c + h) + (long)k * (13 + h) + 4;
        }

        /// <summary>The measured heap minus the arrays: the objects (model, layers, network, layout) of one model, per mode.</summary>
        public static Dictionary<string, long> Calibrate(int c, int h, int k, Func<string, long> measuredHeap)
        {
            var objects = new Dictionary<string, long>();
            foreach (string mode in Modes)
            {
                objects[mode] = measuredHeap(mode) - Arrays(mode, c, h, k);
            }

            return objects;
        }

        /// <summary>
        /// The largest H (1..<paramref name="maxHidden"/>) for which, in the given mode, the steady state
        /// (model + network) and the peak while loading (the model plus what Load needs beside it for H:
        /// <paramref name="loadExtra"/>, e.g. the blob in RAM as Resources.GetBytes returns it, or a
        /// reader's buffer) fit <paramref name="heap"/> bytes together with the static tables.
        /// </summary>
        public static int LargestHidden(string mode, int c, int k, long heap, long statics, long objects, Func<int, long> loadExtra, int maxHidden)
        {
            int best = 0;
            for (int h = 1; h <= maxHidden; h++)
            {
                long model = ModelArrays(mode, c, h, k) + objects;
                long steady = model + NetworkArrays(mode, c, h, k);
                long peak = model + loadExtra(h);
                if (statics + Math.Max(steady, peak) <= heap)
                {
                    best = h;
                }
            }

            return best;
        }

        // nanoCLR's heap for an array of payload bytes.
        public static long Array(long payload)
        {
            return (payload + 20 + 11) / 12 * 12;
        }

        private static long RoundUp(long value, long multiple)
        {
            return (value + multiple - 1) / multiple * multiple;
        }
    }
}
