using System;

namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Moving average of the last few score vectors, then argmax and margin. Sums are int64 so a
    /// window of saturated int32 scores cannot wrap; nothing is allocated after construction.
    /// </summary>
    public sealed class DecisionSmoother
    {
        /// <summary>Largest smoothing window accepted.</summary>
        public const int MaxWindow = 16;

        // history: window rows of classes scores, row (next) is overwritten next
        private readonly int[] _history;
        private readonly long[] _sums;
        private readonly int _classes;
        private readonly int _window;
        private int _next;
        private int _filled;

        /// <summary>Creates a smoother over <paramref name="window"/> decisions of <paramref name="classes"/> scores.</summary>
        /// <param name="classes">Scores per decision, at least 1.</param>
        /// <param name="window">Decisions averaged, 1..<see cref="MaxWindow"/>.</param>
        /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
        public DecisionSmoother(int classes, int window)
        {
            if (classes < 1) throw new ArgumentOutOfRangeException("classes");
            if (window < 1 || window > MaxWindow) throw new ArgumentOutOfRangeException("window", "1.." + MaxWindow);
            _classes = classes;
            _window = window;
            _history = new int[classes * window];
            _sums = new long[classes];
        }

        /// <summary>The winning class after the last <see cref="Add"/>.</summary>
        public int Best { get; private set; }

        /// <summary>The winner's averaged score.</summary>
        public int BestScore { get; private set; }

        /// <summary>Averaged score of the winner minus the runner-up's (the winner's score alone with one class).</summary>
        public int Margin { get; private set; }

        /// <summary>The average of the last scores added for <paramref name="classIndex"/> (0 before any).</summary>
        /// <param name="classIndex">A class, 0..classes - 1.</param>
        /// <returns>Its smoothed score, in output units.</returns>
        public int AverageScore(int classIndex)
        {
            return _filled == 0 ? 0 : (int)(_sums[classIndex] / _filled);
        }

        /// <summary>Forgets every decision.</summary>
        public void Clear()
        {
            Array.Clear(_history, 0, _history.Length);
            Array.Clear(_sums, 0, _sums.Length);
            _next = 0;
            _filled = 0;
        }

        /// <summary>Adds one score vector and updates <see cref="Best"/>, <see cref="BestScore"/> and <see cref="Margin"/>.</summary>
        /// <param name="scores">The model's scores.</param>
        /// <param name="offset">Index of class 0's score.</param>
        public void Add(int[] scores, int offset)
        {
            int[] history = _history;
            long[] sums = _sums;
            int row = _next * _classes;
            for (int k = 0; k < sums.Length; k++)
            {
                int score = scores[offset + k];
                sums[k] += score - (long)history[row + k];
                history[row + k] = score;
            }

            _next = _next + 1 == _window ? 0 : _next + 1;
            if (_filled < _window) _filled++;

            // First maximum wins ties, as RnnNetwork.ArgMax does.
            int best = 0;
            for (int k = 1; k < sums.Length; k++)
            {
                if (sums[k] > sums[best]) best = k;
            }

            long runnerUp = long.MinValue;
            for (int k = 0; k < sums.Length; k++)
            {
                if (k != best && sums[k] > runnerUp) runnerUp = sums[k];
            }

            long bestAverage = sums[best] / _filled;
            Best = best;
            BestScore = (int)bestAverage;
            long margin = runnerUp == long.MinValue ? bestAverage : bestAverage - runnerUp / _filled;
            Margin = margin > int.MaxValue ? int.MaxValue : (int)margin;
        }
    }
}
