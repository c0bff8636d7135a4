namespace NanoRnn.Pipeline
{
    /// <summary>
    /// Numbers as the report prints them, the same on nanoFramework and .NET whatever the culture:
    /// fixed decimals, rounded half away from zero, '.' as the separator, padded to a width.
    /// </summary>
    public static class TextFormat
    {
        /// <summary><paramref name="value"/> with <paramref name="decimals"/> decimals (0..6).</summary>
        /// <param name="value">The number.</param>
        /// <param name="decimals">Digits after the point.</param>
        /// <returns>For example "4.99", "-0.50", "20".</returns>
        public static string Fixed(double value, int decimals)
        {
            long scale = 1;
            for (int i = 0; i < decimals; i++) scale *= 10;
            bool negative = value < 0;
            double magnitude = negative ? -value : value;
            long scaled = (long)(magnitude * scale + 0.5);
            string text = (scaled / scale).ToString();
            if (decimals > 0)
            {
                string fraction = (scaled % scale).ToString();
                while (fraction.Length < decimals) fraction = "0" + fraction;
                text += "." + fraction;
            }

            return negative && scaled != 0 ? "-" + text : text;
        }

        /// <summary><paramref name="text"/> with spaces before it up to <paramref name="width"/> characters.</summary>
        /// <param name="text">The text.</param>
        /// <param name="width">The width wanted.</param>
        /// <returns>The padded text (unchanged when already as wide).</returns>
        public static string Right(string text, int width)
        {
            return text.Length >= width ? text : new string(' ', width - text.Length) + text;
        }

        /// <summary><paramref name="text"/> with spaces after it up to <paramref name="width"/> characters.</summary>
        /// <param name="text">The text.</param>
        /// <param name="width">The width wanted.</param>
        /// <returns>The padded text (unchanged when already as wide).</returns>
        public static string Left(string text, int width)
        {
            return text.Length >= width ? text : text + new string(' ', width - text.Length);
        }

        /// <summary>A duration with its unit: "412 µs" below 1 ms, "3.9 ms" below 1 s, else "1.70 s".</summary>
        /// <param name="micros">A duration in microseconds.</param>
        /// <returns>The duration with its unit.</returns>
        public static string Duration(long micros)
        {
            if (micros < 1000 && micros > -1000) return micros + " \u00b5s";
            if (micros < 1000000 && micros > -1000000) return Fixed(micros / 1000.0, 1) + " ms";
            return Fixed(micros / 1000000.0, 2) + " s";
        }
    }
}
