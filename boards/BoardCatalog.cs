namespace NanoRnn.Boards
{
    /// <summary>The boards NanoRnn knows, by name.</summary>
    public static class BoardCatalog
    {
        /// <summary>Every board's name.</summary>
        public static string[] Names
        {
            get { return new string[] { "esp32-devkitc-gy521", "m5stickc-plus" }; }
        }

        /// <summary>Looks a board up by its name.</summary>
        /// <param name="name">A name from <see cref="Names"/>.</param>
        /// <returns>A fresh description, or null when no board has that name.</returns>
        public static BoardDescription Find(string name)
        {
            if (name == "esp32-devkitc-gy521") return Esp32DevKitCGy521.Create();
            if (name == "m5stickc-plus") return M5StickCPlus.Create();
            return null;
        }
    }
}
