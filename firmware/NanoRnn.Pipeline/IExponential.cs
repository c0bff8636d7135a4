namespace NanoRnn.Pipeline
{
    /// <summary>
    /// e to a power, for the probability printed with each decision (once per decision, never per
    /// sample). mscorlib has no Math: the App passes nanoFramework.System.Math's, a PC .NET's.
    /// </summary>
    public interface IExponential
    {
        /// <summary>e raised to <paramref name="power"/>.</summary>
        /// <param name="power">The exponent; the caller keeps it at or below 0.</param>
        /// <returns>The exponential.</returns>
        double Exp(double power);
    }
}
