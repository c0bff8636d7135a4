using System.Diagnostics;
using NanoRnn.Pipeline;

namespace NanoRnn.App
{
    /// <summary>Decisions and gaps to the debug output (Visual Studio's Output window, or the serial console).</summary>
    internal sealed class DebugDecisionLog : IDecisionSink
    {
        private readonly string[] _labels;

        public DebugDecisionLog(string[] labels)
        {
            _labels = labels;
        }

        public void OnDecision(int classIndex, int score, int margin, long sampleIndex)
        {
            string name = classIndex < _labels.Length ? _labels[classIndex] : "class " + classIndex;
            Debug.WriteLine("sample " + sampleIndex + ": " + name + " (score " + score + ", margin " + margin + ")");
        }

        public void OnGap(long sampleIndex, int dropped)
        {
            Debug.WriteLine("sample " + sampleIndex + ": " + dropped + " samples lost, state reset");
        }
    }
}
