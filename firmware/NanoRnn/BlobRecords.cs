namespace NanoRnn
{
    /// <summary>
    /// The tagged records a format-version-3 blob carries after its head (docs/model-format.md,
    /// "format version 3"): the class names and the boot check sequence. Each record is tag u16,
    /// flags u16 (0), payload_bytes u32, payload; a tag this library does not know is skipped.
    /// </summary>
    internal sealed class BlobRecords
    {
        internal const int FormatVersion = 3;
        internal const int TagClassNames = 1;      // K names: u8 length 1..63, printable ASCII
        internal const int TagCheckSequence = 2;   // u16 steps 1..64, u16 0, i16 inputs [steps·C], i32 scores [steps·K]
        internal const int RecordHeaderBytes = 8;
        internal const int MaxNameBytes = 63;
        internal const int MaxCheckSteps = 64;

        internal string[] ClassNames;
        internal int CheckSteps;
        internal short[] CheckInputs;
        internal int[] CheckScores;

        /// <summary>Checks and reads every record in blob[start .. end) (end: the CRC's offset).</summary>
        internal static BlobRecords Read(BlobSource source, int start, int end, int c, int k)
        {
            var records = new BlobRecords();
            bool haveNames = false;
            bool haveCheck = false;
            int offset = start;
            for (int index = 0; offset < end; index++)
            {
                if (end - offset < RecordHeaderBytes)
                {
                    throw new ModelFormatException(At(index, offset) + ": its 8-byte header runs past the end (" + (end - offset) + " bytes before the CRC)");
                }

                source.Fetch(offset, RecordHeaderBytes);
                int tag = LittleEndian.ReadUInt16(source.Window, source.WindowIndex);
                int flags = LittleEndian.ReadUInt16(source.Window, source.WindowIndex + 2);
                uint length = LittleEndian.ReadUInt32(source.Window, source.WindowIndex + 4);
                if (flags != 0)
                {
                    throw new ModelFormatException(At(index, offset) + ": flags " + flags + " is not 0");
                }

                int room = end - offset - RecordHeaderBytes;
                if (length > (uint)room)
                {
                    throw new ModelFormatException(At(index, offset) + ": payload_bytes " + length + " runs past the end (" + room + " bytes before the CRC)");
                }

                int payload = offset + RecordHeaderBytes;
                if (tag == TagClassNames)
                {
                    if (haveNames) throw new ModelFormatException(At(index, offset) + ": a second record of tag " + tag);
                    haveNames = true;
                    records.ClassNames = ReadNames(source, payload, (int)length, k);
                }
                else if (tag == TagCheckSequence)
                {
                    if (haveCheck) throw new ModelFormatException(At(index, offset) + ": a second record of tag " + tag);
                    haveCheck = true;
                    records.ReadCheck(source, payload, (int)length, c, k);
                }

                offset = payload + (int)length;
            }

            return records;
        }

        // Built only for a message: nothing is allocated for a record that is right.
        private static string At(int index, int offset)
        {
            return "record " + index + " (at byte " + offset + ")";
        }

        private static string[] ReadNames(BlobSource source, int payload, int length, int k)
        {
            var names = new string[k];
            int at = 0;
            for (int index = 0; index < k; index++)
            {
                if (at >= length)
                {
                    throw new ModelFormatException("class names: the record holds " + index + " names, class_count is " + k);
                }

                source.Fetch(payload + at, 1);
                int size = source.Window[source.WindowIndex];
                if (size < 1 || size > MaxNameBytes)
                {
                    throw new ModelFormatException("class name " + index + ": length " + size + " is outside 1.." + MaxNameBytes);
                }

                if (at + 1 + size > length)
                {
                    throw new ModelFormatException("class name " + index + ": runs past its record");
                }

                source.Fetch(payload + at + 1, size);
                var chars = new char[size];
                for (int i = 0; i < size; i++)
                {
                    int b = source.Window[source.WindowIndex + i];
                    if (b < 0x20 || b > 0x7E)
                    {
                        throw new ModelFormatException("class name " + index + ": byte " + i + " is 0x" + b.ToString("X2") + ", not printable ASCII");
                    }

                    chars[i] = (char)b;
                }

                names[index] = new string(chars);
                at += 1 + size;
            }

            if (at != length)
            {
                throw new ModelFormatException("class names: " + (length - at) + " bytes after the " + k + " names of class_count");
            }

            return names;
        }

        private void ReadCheck(BlobSource source, int payload, int length, int c, int k)
        {
            if (length < 4)
            {
                throw new ModelFormatException("check sequence: payload_bytes " + length + " is too short for its 4-byte header");
            }

            source.Fetch(payload, 4);
            int steps = LittleEndian.ReadUInt16(source.Window, source.WindowIndex);
            int reserved = LittleEndian.ReadUInt16(source.Window, source.WindowIndex + 2);
            if (reserved != 0)
            {
                throw new ModelFormatException("check sequence: reserved field is " + reserved + ", expected 0");
            }

            if (steps < 1 || steps > MaxCheckSteps)
            {
                throw new ModelFormatException("check sequence: steps " + steps + " is outside 1.." + MaxCheckSteps);
            }

            int expected = 4 + 2 * steps * c + 4 * steps * k;
            if (length != expected)
            {
                throw new ModelFormatException("check sequence: payload_bytes " + length + " does not match " + steps + " steps of "
                    + c + " inputs and " + k + " scores (expected " + expected + ")");
            }

            CheckSteps = steps;
            CheckInputs = new short[steps * c];
            for (source.Start(payload + 4, steps * c, 2); source.Next();)
            {
                for (int i = 0; i < source.PieceCount; i++)
                {
                    CheckInputs[source.PieceFirst + i] = (short)LittleEndian.ReadUInt16(source.Window, source.WindowIndex + 2 * i);
                }
            }

            CheckScores = source.ReadInt32s(payload + 4 + 2 * steps * c, steps * k);
        }
    }
}
