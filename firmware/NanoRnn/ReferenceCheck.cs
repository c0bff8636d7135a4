namespace NanoRnn
{
    /// <summary>
    /// A board that checks its own arithmetic: runs the check sequence a format-3 blob stores through
    /// a network's own kernel (compact, packed or streamed, whichever that <see cref="RnnNetwork"/> uses)
    /// and compares the scores after every step, bit for bit, with the ones the integer reference
    /// (tools/nanornn/reference.py) computed when the blob was exported.
    /// </summary>
    public static class ReferenceCheck
    {
        /// <summary>Resets the network, runs the check, and resets it again.</summary>
        /// <param name="network">The network to check (its model's check sequence is used).</param>
        /// <returns>What was found.</returns>
        /// <exception cref="System.ArgumentNullException"><paramref name="network"/> is null.</exception>
        public static ReferenceCheckResult Run(RnnNetwork network)
        {
            if (network == null) throw new System.ArgumentNullException("network");
            RnnModel model = network.Model;
            var result = new ReferenceCheckResult();
            int steps = model.CheckStepCount;
            if (steps == 0)
            {
                return result;
            }

            result.Stored = true;
            result.Steps = steps;
            result.Identical = true;
            int c = model.InputChannels;
            int k = model.ClassCount;
            short[] inputs = model.CheckInputs;
            int[] expected = model.CheckScores;
            var scores = new int[k];
            network.Reset();
            for (int t = 0; t < steps && result.Identical; t++)
            {
                network.Step(inputs, t * c);
                network.ComputeOutput(scores, 0);
                for (int j = 0; j < k; j++)
                {
                    if (scores[j] != expected[t * k + j])
                    {
                        result.Identical = false;
                        result.FirstDifferentStep = t;
                        result.FirstDifferentClass = j;
                        result.Expected = expected[t * k + j];
                        result.Actual = scores[j];
                        break;
                    }
                }
            }

            network.Reset();
            return result;
        }
    }

    /// <summary>The outcome of <see cref="ReferenceCheck.Run"/>.</summary>
    public sealed class ReferenceCheckResult
    {
        /// <summary>Whether the blob stores a check sequence (format 3); false for older blobs.</summary>
        public bool Stored;

        /// <summary>Whether every score of every step was the reference's.</summary>
        public bool Identical;

        /// <summary>Steps in the check sequence.</summary>
        public int Steps;

        /// <summary>The first step (0-based) whose scores differ; meaningful when not <see cref="Identical"/>.</summary>
        public int FirstDifferentStep;

        /// <summary>The first class whose score differs at that step.</summary>
        public int FirstDifferentClass;

        /// <summary>The reference's score there.</summary>
        public int Expected;

        /// <summary>The network's score there.</summary>
        public int Actual;

        /// <summary>One line for a log: "model check: identical to the reference, 4 steps", or what differs, or that nothing was checked.</summary>
        /// <returns>The line.</returns>
        public string Describe()
        {
            if (!Stored)
            {
                return "model check: this blob carries no check sequence (exported before format 3); not checked";
            }

            if (Identical)
            {
                return "model check: identical to the reference, " + Steps + " steps";
            }

            return "model check: DIFFERENT from the reference at step " + FirstDifferentStep + ", class " + FirstDifferentClass
                + ": expected " + Expected + ", computed " + Actual;
        }
    }
}
