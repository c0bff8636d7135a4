using NanoRnn.Pipeline;

namespace NanoRnn.Tests.Pipeline
{
    /// <summary>Keeps the last decision and gap, and counts them.</summary>
    internal sealed class RecordingSink : IDecisionSink
    {
        internal int Decisions;
        internal int LastClass = -1;
        internal int LastScore;
        internal int LastMargin;
        internal long LastSampleIndex = -1;
        internal int Gaps;
        internal int LastDropped;
        internal long LastGapIndex = -1;

        public void OnDecision(int classIndex, int score, int margin, long sampleIndex)
        {
            Decisions++;
            LastClass = classIndex;
            LastScore = score;
            LastMargin = margin;
            LastSampleIndex = sampleIndex;
        }

        public void OnGap(long sampleIndex, int dropped)
        {
            Gaps++;
            LastDropped = dropped;
            LastGapIndex = sampleIndex;
        }
    }
}
