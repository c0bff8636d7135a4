using System;

namespace NanoRnn
{
    /// <summary>
    /// A model blob that is not a valid NanoRnn model. The message is one sentence naming the field
    /// and the values that are wrong (docs/model-format.md, "What the loader checks").
    /// </summary>
    public class ModelFormatException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What is wrong, naming the field and its value.</param>
        public ModelFormatException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception for a blob that could not be read.</summary>
        /// <param name="message">What could not be read, and why.</param>
        /// <param name="innerException">What the reader threw.</param>
        public ModelFormatException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
