using System.Globalization;
using System.Text;
using NanoRnn.Pipeline;

namespace NanoRnn.Desktop.Simulation
{
    /// <summary>
    /// What `simulate` keeps of the decisions the application reports: every one for --decisions
    /// OUT.csv, and how many match the synthetic scene's gesture (none without a scene).
    /// </summary>
    internal sealed class DecisionLog : IDecisionSink
    {
        private readonly SyntheticScene _scene;
        private readonly StringBuilder _csv = new StringBuilder("sample,class,score,margin\n");

        public DecisionLog(SyntheticScene scene)
        {
            _scene = scene;
        }

        public int Matches { get; private set; }

        public string Csv => _csv.ToString();

        public void OnDecision(int classIndex, int score, int margin, long sampleIndex)
        {
            _csv.Append(CultureInfo.InvariantCulture, $"{sampleIndex},{classIndex},{score},{margin}\n");
            if (_scene != null && _scene.Label((int)(sampleIndex / _scene.WindowLength)) == classIndex)
            {
                Matches++;
            }
        }

        public void OnGap(long sampleIndex, int dropped)
        {
        }
    }
}
