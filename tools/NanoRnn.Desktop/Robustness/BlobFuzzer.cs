using System;
using System.Diagnostics;
using System.IO;

namespace NanoRnn.Desktop.Robustness
{
    /// <summary>
    /// Mutation fuzzer for <see cref="RnnModel.Load(byte[])"/>: damages valid blobs (bit flips, byte changes,
    /// truncations, extensions, header fields set to 0, 1, max and negative, sizes changed together
    /// with the blob length) and, for most cases, makes total_bytes and the CRC-32 agree again so the
    /// checks past them are reached. Every case must either load and run (Step and ComputeOutput
    /// with state in range) or throw <see cref="ModelFormatException"/>; anything else, an allocation
    /// during Load beyond what the blob's length justifies, or a load through a reader that reads more
    /// than <see cref="ReadsPerBlobByte"/> times the blob is a failure. Every case is also loaded through a reader
    /// (<see cref="RnnModel.Load(IBlobReader, int)"/>), which must do the same: load, or refuse with the
    /// same message; allocate no more than <see cref="RnnModel.Load(byte[], bool)"/> without gate
    /// weights does, plus <see cref="ReaderSlackBytes"/>; and, loaded, stream the same scores as the
    /// array model's compact network. Deterministic for a given seed and seed blobs, and so are its
    /// verdicts, whatever the machine's load: they count bytes, never time. Host only (it measures
    /// allocation with GC.GetAllocatedBytesForCurrentThread, which needs <see cref="MeasuredAllocation"/>'s settings).
    /// </summary>
    internal sealed class BlobFuzzer
    {
        /// <summary>
        /// Load may allocate the blob's length (the model keeps a subset of its bytes, value for
        /// value) plus this much: array and object headers, the layout, an exception and its message.
        /// </summary>
        public const int AllocationSlackBytes = 4096;

        /// <summary>
        /// What the load through a reader may allocate beyond what the array load without gate weights
        /// does: its buffer, a copy of the header and its reading state (on .NET about 340 bytes).
        /// </summary>
        public const int ReaderSlackBytes = 1024;

        /// <summary>
        /// A load through a reader reads the blob about twice (its CRC-32, then the checks and copies);
        /// reading more than this many bytes per blob byte means work that grows with something other
        /// than the blob, which is how a hostile header would make the board hang.
        /// </summary>
        public const int ReadsPerBlobByte = 3;

        private const int StepsPerLoadedCase = 8;

        // Header fields (docs/model-format.md, "Blob layout"): offset and width in bytes.
        private static readonly int[] FieldOffsets = { 4, 6, 8, 12, 13, 14, 15, 16, 18, 20, 22, 23, 24, 28, 30 };
        private static readonly int[] FieldWidths = { 2, 2, 4, 1, 1, 1, 1, 2, 2, 2, 1, 1, 4, 2, 2 };
        private const int TotalBytesOffset = 8;
        private const int DimensionsOffset = 16; // C, H, K: u16 each

        // Adversarial samples: full scale both ways, zero, and the rest random.
        private static readonly short[] Extremes = { short.MaxValue, short.MinValue, -short.MaxValue, 0, 1, -1 };

        private readonly byte[][] _seeds;
        private readonly Random _random;

        public BlobFuzzer(byte[][] seeds, int seed)
        {
            _seeds = seeds;
            _random = new Random(seed);
        }

        /// <summary>Counts of one run.</summary>
        public sealed class Result
        {
            public int Cases;
            public int LoadedAndRan;
            public int Refused;
            public int Failures;
            public long MostBytesOverLength; // max over cases of (allocated during Load - blob length), at least 0
            public long MostReaderBytesOverKept; // max over cases of (allocated by the reader load - by Load(blob, false)), at least 0
            public long MostBytesRead; // max over cases of the bytes the load through a reader read
            public long MostBytesReadPerBlobByte; // the same over the blob's length, rounded up
            public long SlowestCaseMs; // for information only: it depends on the machine and its load
        }

        /// <summary>Runs <paramref name="cases"/> cases; each failure is one line on <paramref name="failures"/>.</summary>
        public Result Run(int cases, TextWriter failures)
        {
            var result = new Result();
            for (int i = 0; i < cases; i++)
            {
                string kind;
                byte[] blob = Mutate(_seeds[_random.Next(_seeds.Length)], out kind);
                short[] sample = new short[4096];
                for (int s = 0; s < sample.Length; s++)
                {
                    sample[s] = _random.Next(3) == 0 ? (short)_random.Next(short.MinValue, short.MaxValue + 1)
                        : Extremes[_random.Next(Extremes.Length)];
                }

                var watch = Stopwatch.StartNew();
                string failure = RunCase(blob, sample, result);
                long ms = watch.ElapsedMilliseconds;
                result.SlowestCaseMs = Math.Max(result.SlowestCaseMs, ms);
                result.Cases++;
                if (failure != null)
                {
                    result.Failures++;
                    failures.WriteLine($"case {i} ({kind}, {blob.Length} bytes): {failure}");
                }
            }

            return result;
        }

        // The outcome of one load: the model, or the refusal's message, or what else it threw.
        private struct Outcome
        {
            public RnnModel Model;
            public string Refusal;
            public Exception Other;
            public long Allocated;
        }

        // Runs a load three times and keeps the smallest count, that of the code itself: .NET adds
        // allocations of its own on top, never below. The first run pays one-time costs of a path
        // (caches built the first time an exception passes a method); while a background collection
        // runs on a busy machine, a run can count a little more. nanoCLR has neither, and with them a
        // count would depend on the order of the cases and on the machine's load.
        private const int MeasuredRuns = 3;

        private static Outcome Measure(Func<RnnModel> load)
        {
            var outcome = new Outcome();
            long least = long.MaxValue;
            for (int run = 0; run < MeasuredRuns; run++)
            {
                outcome = new Outcome();
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    outcome.Model = load();
                }
                catch (ModelFormatException e)
                {
                    outcome.Refusal = e.Message;
                }
                catch (Exception e)
                {
                    outcome.Other = e;
                }

                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            outcome.Allocated = least;
            return outcome;
        }

        // null if the case passed.
        private static string RunCase(byte[] blob, short[] sample, Result result)
        {
            Outcome array = Measure(() => RnnModel.Load(blob));
            if (array.Other != null)
            {
                return $"Load threw {array.Other.GetType().Name}: {array.Other.Message}";
            }

            RnnModel model = array.Model;
            string refusal = array.Refusal;
            RnnModel streamed = null;
            string failure = CheckAllocation(array.Allocated, blob.Length, result) ?? LoadThroughReader(blob, refusal, result, out streamed);
            if (failure != null || refusal != null)
            {
                result.Refused += failure == null ? 1 : 0;
                return failure;
            }

            try
            {
                var network = new RnnNetwork(model);
                var compact = new RnnNetwork(model, false);
                var reader = new RnnNetwork(streamed, new ByteArrayBlobReader(blob), 3);
                int c = model.InputChannels;
                int h = model.HiddenSize;
                var scores = new int[model.ClassCount];
                var hidden = new short[h];
                bool lastIsLstm = model.GetCellType(model.LayerCount - 1) == RnnModel.CellTypeLstm;
                for (int t = 0; t < StepsPerLoadedCase; t++)
                {
                    network.Step(sample, (t * c) % (sample.Length - c + 1));
                    compact.Step(sample, (t * c) % (sample.Length - c + 1));
                    reader.Step(sample, (t * c) % (sample.Length - c + 1));
                    network.Stages.CopyHidden(hidden, 0);
                    for (int j = 0; j < h && lastIsLstm; j++)
                    {
                        // An LSTM's h = rshr(o · tanh(c), 15) with o in 0..32767: never -32768.
                        if (hidden[j] == short.MinValue)
                        {
                            return $"h[{j}] = -32768 after step {t}";
                        }
                    }
                }

                network.ComputeOutput(scores, 0);
                int best = RnnNetwork.ArgMax(scores, 0, scores.Length);
                if (best < 0 || best >= scores.Length)
                {
                    return $"ArgMax returned {best} for {scores.Length} classes";
                }

                var expected = new int[scores.Length];
                compact.ComputeOutput(expected, 0);
                reader.ComputeOutput(scores, 0);
                for (int k = 0; k < scores.Length; k++)
                {
                    if (scores[k] != expected[k])
                    {
                        return $"score {k} of the model loaded through a reader, streamed: {scores[k]}, compact kernel on the array load: {expected[k]}";
                    }
                }

                result.LoadedAndRan++;
                return null;
            }
            catch (Exception e)
            {
                return $"a loaded model threw {e.GetType().Name} while running: {e.Message}";
            }
        }

        // The same bytes through a reader: the same outcome and message as the array load (refusal: its
        // message, or null), and no more allocation than Load(blob, false) plus ReaderSlackBytes.
        private static string LoadThroughReader(byte[] blob, string refusal, Result result, out RnnModel model)
        {
            long kept = Measure(() => RnnModel.Load(blob, false)).Allocated;
            var reader = new CountingBlobReader(blob);
            Outcome streamed = Measure(() => RnnModel.Load(reader, blob.Length));
            model = streamed.Model;
            string streamedRefusal = streamed.Refusal;
            if (streamed.Other != null)
            {
                return $"Load through a reader threw {streamed.Other.GetType().Name}: {streamed.Other.Message}";
            }

            // Every run went through the reader; the work bound is for one.
            long bytesRead = reader.BytesRead / MeasuredRuns;
            long over = streamed.Allocated - kept;
            result.MostReaderBytesOverKept = Math.Max(result.MostReaderBytesOverKept, over);
            result.MostBytesRead = Math.Max(result.MostBytesRead, bytesRead);
            long perByte = (bytesRead + blob.Length - 1) / Math.Max(1, blob.Length);
            result.MostBytesReadPerBlobByte = Math.Max(result.MostBytesReadPerBlobByte, perByte);
            if (streamedRefusal != refusal)
            {
                return $"Load(blob) {(refusal == null ? "loads" : "refuses: " + refusal)}; Load(reader, length) {(streamedRefusal == null ? "loads" : "refuses: " + streamedRefusal)}";
            }

            if (bytesRead > (long)ReadsPerBlobByte * blob.Length + RnnModel.LoadBufferBytes)
            {
                return $"Load(reader, length) read {bytesRead} bytes of a {blob.Length}-byte blob (limit {ReadsPerBlobByte} per byte)";
            }

            return over > ReaderSlackBytes
                ? $"Load(reader, length) allocated {over} bytes more than Load(blob, false) (limit {ReaderSlackBytes})"
                : null;
        }

        private static string CheckAllocation(long allocated, int length, Result result)
        {
            long over = allocated - length;
            result.MostBytesOverLength = Math.Max(result.MostBytesOverLength, over);
            return over > AllocationSlackBytes
                ? $"Load allocated {over + length} bytes for a {length}-byte blob (limit length + {AllocationSlackBytes})"
                : null;
        }

        // The reader the loads go through, counting what they ask for.
        private sealed class CountingBlobReader : IBlobReader
        {
            private readonly ByteArrayBlobReader _source;

            public CountingBlobReader(byte[] blob)
            {
                _source = new ByteArrayBlobReader(blob);
            }

            public long BytesRead { get; private set; }

            public void Read(int position, byte[] destination, int destinationOffset, int count)
            {
                BytesRead += count;
                _source.Read(position, destination, destinationOffset, count);
            }
        }

        private byte[] Mutate(byte[] valid, out string kind)
        {
            byte[] blob = (byte[])valid.Clone();
            bool fixTotal = _random.Next(10) < 8;
            switch (_random.Next(8))
            {
                case 0:
                    kind = "bit flips";
                    for (int n = 1 + _random.Next(4); n > 0; n--)
                    {
                        int bit = _random.Next(blob.Length * 8);
                        blob[bit / 8] ^= (byte)(1 << (bit % 8));
                    }

                    break;
                case 1:
                    kind = "byte changes";
                    for (int n = 1 + _random.Next(4); n > 0; n--)
                    {
                        blob[_random.Next(blob.Length)] = (byte)_random.Next(256);
                    }

                    break;
                case 2:
                    kind = "truncation";
                    blob = Resize(blob, _random.Next(blob.Length));
                    break;
                case 3:
                    kind = "extension";
                    blob = Resize(blob, blob.Length + 1 + _random.Next(_random.Next(2) == 0 ? 8 : 4096));
                    break;
                case 4:
                {
                    int field = _random.Next(FieldOffsets.Length);
                    ulong value = SpecialValue(FieldWidths[field]);
                    kind = $"header field at {FieldOffsets[field]} = 0x{value:X}";
                    Write(blob, FieldOffsets[field], FieldWidths[field], value);
                    fixTotal &= FieldOffsets[field] != TotalBytesOffset;
                    break;
                }

                case 5:
                {
                    // New sizes and a blob of exactly the length they imply (no records): reaches the
                    // section checks with sections that no longer line up. Header u16 at 16, 18, 20
                    // (C, M, K) or layer 0's hidden size.
                    int dimension = _random.Next(4);
                    int offset = dimension < 3 ? DimensionsOffset + 2 * dimension : 32 + 9 * U16(blob, DimensionsOffset) + 2;
                    ulong value = _random.Next(2) == 0 ? SpecialValue(2) : (ulong)(_random.Next(600));
                    kind = $"size field at {offset} = {value}, resized";
                    Write(blob, offset, 2, value);
                    long implied = ImpliedLength(blob);
                    if (implied >= 0 && implied <= 1 << 20)
                    {
                        blob = Resize(blob, (int)implied);
                    }

                    break;
                }

                case 6:
                {
                    // A record's tag, flags, payload_bytes or payload: reaches the record checks.
                    long start = ImpliedLength(blob) - 4;
                    if (start < 0 || start + 8 > blob.Length - 4)
                    {
                        kind = "records (none to change)";
                        break;
                    }

                    int offset = (int)start + _random.Next(blob.Length - 4 - (int)start);
                    int width = 1 + _random.Next(4);
                    kind = $"record byte at {offset} = {width}-byte special value";
                    Write(blob, offset, Math.Min(width, blob.Length - 4 - offset), SpecialValue(width));
                    break;
                }

                default:
                {
                    kind = "section int32 set to an extreme";
                    int offset = 32 + _random.Next(Math.Max(1, blob.Length - 40));
                    Write(blob, offset, 4, SpecialValue(4));
                    break;
                }
            }

            if (fixTotal && blob.Length >= TotalBytesOffset + 4)
            {
                Write(blob, TotalBytesOffset, 4, (ulong)blob.Length);
            }

            if (_random.Next(10) < 9 && blob.Length >= 4)
            {
                int end = blob.Length - 4;
                Write(blob, end, 4, Crc32.Compute(blob, 0, end));
            }

            return blob;
        }

        // 0, 1, all ones, the most negative and most positive signed values, or random.
        private ulong SpecialValue(int width)
        {
            ulong ones = width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;
            ulong sign = 1UL << (8 * width - 1);
            switch (_random.Next(6))
            {
                case 0: return 0;
                case 1: return 1;
                case 2: return ones;
                case 3: return sign;
                case 4: return sign - 1;
                default: return (ulong)_random.NextInt64() & ones;
            }
        }

        private byte[] Resize(byte[] blob, int length)
        {
            byte[] resized = new byte[length];
            Array.Copy(blob, resized, Math.Min(length, blob.Length));
            for (int i = blob.Length; i < length; i++)
            {
                resized[i] = _random.Next(2) == 0 ? (byte)0 : (byte)_random.Next(256);
            }

            return resized;
        }

        // The length the header and the layer headers imply without records (docs/model-format.md),
        // or -1 if they cannot be followed:
        //   32 + 9C + Σ_l (8 + R_l·(22 + In_l + H_l)) + [4 + M·(13 + H_last)] + K·(13 + In_head) + 4
        private static long ImpliedLength(byte[] blob)
        {
            if (blob.Length < 32)
            {
                return -1;
            }

            long c = U16(blob, 16);
            long k = U16(blob, 20);
            long m = U16(blob, 18);
            long at = 32 + 9 * c;
            long input = c;
            for (int layer = 0; layer < blob[13] && layer < 4; layer++)
            {
                if (at + 8 > blob.Length)
                {
                    return -1;
                }

                int cell = blob[at];
                long h = U16(blob, (int)at + 2);
                long rows = cell == 1 || cell == 2 ? 4 * h : cell == 3 || cell == 4 ? h : -1;
                if (rows < 0)
                {
                    return -1;
                }

                at += 8 + rows * (22 + input + h);
                input = h;
            }

            if (m > 0)
            {
                at += 4 + m * (13 + input);
                input = m;
            }

            return at + k * (13 + input) + 4;
        }

        private static int U16(byte[] blob, int offset)
        {
            return blob[offset] | (blob[offset + 1] << 8);
        }

        private static void Write(byte[] blob, int offset, int width, ulong value)
        {
            for (int i = 0; i < width && offset + i < blob.Length; i++)
            {
                blob[offset + i] = (byte)(value >> (8 * i));
            }
        }
    }
}
