using System.Globalization;
using System.IO;
using System.Text;
using NanoRnn.Pipeline;

namespace NanoRnn.Desktop.Simulation
{
    /// <summary>Prints decisions and gaps as they happen and keeps them for the decisions CSV.</summary>
    internal sealed class DecisionLog : IDecisionSink
    {
        private readonly TextWriter _out;
        private readonly string[] _labels;
        private readonly int _sampleRateHz;
        private readonly double _outputScale;
        private readonly SyntheticScene _scene;
        private readonly StringBuilder _csv = new StringBuilder("sample,class,score,margin\n");

        public DecisionLog(TextWriter output, string[] labels, int sampleRateHz, double outputScale, SyntheticScene scene)
        {
            _out = output;
            _labels = labels;
            _sampleRateHz = sampleRateHz;
            _outputScale = outputScale;
            _scene = scene;
        }

        public int Matches { get; private set; }

        public string Csv => _csv.ToString();

        public void OnDecision(int classIndex, int score, int margin, long sampleIndex)
        {
            _csv.Append(CultureInfo.InvariantCulture, $"{sampleIndex},{classIndex},{score},{margin}\n");
            string line = string.Format(CultureInfo.InvariantCulture, "{0,8:F2} s  sample {1,6}  {2,-8}  logit {3,7:F3}  margin {4,6:F3}",
                (sampleIndex + 1) / (double)_sampleRateHz, sampleIndex, Label(classIndex), score * _outputScale, margin * _outputScale);
            if (_scene != null)
            {
                int truth = _scene.Label((int)(sampleIndex / _scene.WindowLength));
                if (truth == classIndex)
                {
                    Matches++;
                }

                line += "  scene: " + SyntheticScene.Gestures[truth];
            }

            _out.WriteLine(line);
        }

        public void OnGap(long sampleIndex, int dropped)
        {
            _out.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,8:F2} s  {1} samples lost, state reset",
                sampleIndex / (double)_sampleRateHz, dropped));
        }

        private string Label(int classIndex)
        {
            return classIndex < _labels.Length ? _labels[classIndex] : "class " + classIndex;
        }
    }
}
