namespace NanoRnn
{
    /// <summary>
    /// What a blob's records hold (docs/model-format.md, "Records"), filled in by
    /// <see cref="BlobChecker"/> as it checks them: the class names and the boot check sequence.
    /// </summary>
    internal sealed class BlobRecords
    {
        internal string[] ClassNames;          // K names, or null
        internal int CheckSteps;               // 1..64, or 0 without a check sequence
        internal short[] CheckInputs;          // [steps · C], or null
        internal int[] CheckScores;            // [steps · K], or null
    }
}
