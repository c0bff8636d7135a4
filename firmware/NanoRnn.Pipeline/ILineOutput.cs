namespace NanoRnn.Pipeline
{
    /// <summary>Where the application's report goes, a line at a time: the serial console on a board, stdout on a PC.</summary>
    public interface ILineOutput
    {
        /// <summary>Writes one line of text.</summary>
        /// <param name="line">The text, without a line end.</param>
        void WriteLine(string line);
    }
}
