using System.Globalization;

namespace HParamsNet.Events;

/// <summary>How TensorBoard names, recognises and orders event files.</summary>
internal static class EventFileNames
{
    /// <summary>The substring that makes TensorBoard load a file as an event file.</summary>
    public const string Marker = "tfevents";

    private const string Prefix = "events.out.tfevents.";
    private const string ProfileEmptySuffix = ".profile-empty";

    /// <summary>Whether TensorBoard would load <paramref name="fileName"/> as an event file.</summary>
    /// <param name="fileName">A file name or path.</param>
    public static bool IsEventFile(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        string name = System.IO.Path.GetFileName(fileName);
        return name.Contains(Marker, StringComparison.Ordinal)
            && !name.EndsWith(ProfileEmptySuffix, StringComparison.Ordinal);
    }

    /// <summary>
    /// The name TensorBoard's writer gives a new file:
    /// <c>events.out.tfevents.{seconds:D10}.{host}.{pid}.{counter}{suffix}</c>. The zero-padded
    /// seconds make name order match creation order.
    /// </summary>
    /// <param name="created">When the file is created.</param>
    /// <param name="host">The host name.</param>
    /// <param name="processId">The writing process.</param>
    /// <param name="counter">Distinguishes files created by one process in the same second.</param>
    /// <param name="suffix">Appended as is; empty by default.</param>
    public static string Create(DateTimeOffset created, string host, int processId, int counter, string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(suffix);
        long seconds = created.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{seconds:D10}.{host}.{processId}.{counter}{suffix}");
    }

    /// <summary>
    /// The event files directly in <paramref name="runDirectory"/> that hold data, in the order
    /// TensorBoard reads them (ordinal name order). Empty files (and FIFOs, sockets and devices,
    /// which report no length) are left out.
    /// </summary>
    /// <param name="runDirectory">A run directory.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static IReadOnlyList<string> ListEventFiles(string runDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        if (!Directory.Exists(runDirectory))
        {
            throw new DirectoryNotFoundException($"Run directory '{runDirectory}' does not exist; pass a directory that holds event files.");
        }

        // Empty files hold no events, and neither do FIFOs, sockets and devices, whose length is 0
        // too: those are never opened, since opening a FIFO waits for a writer for ever.
        var files = new DirectoryInfo(runDirectory).EnumerateFiles()
            .Where(file => IsEventFile(file.Name) && file.Length > 0)
            .Select(file => file.FullName)
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
