namespace HParamsNet.Events;

/// <summary>Options for <see cref="EventFileWriter"/> (and the summary writer above it).</summary>
public sealed class EventFileWriterOptions
{
    /// <summary>The options used when none are given.</summary>
    public static EventFileWriterOptions Default { get; } = new();

    /// <summary>
    /// How often buffered events are handed to the operating system, so that TensorBoard (which
    /// polls every 5 s) sees them. <see cref="Timeout.InfiniteTimeSpan"/> flushes only when the
    /// buffer fills, on <see cref="EventFileWriter.Flush()"/> and on dispose.
    /// </summary>
    /// <value>Default: 5 seconds.</value>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes of events buffered before they are written out.</summary>
    /// <value>Default: 64 KiB. At least 256 bytes.</value>
    public int BufferSize { get; init; } = 64 * 1024;

    /// <summary>Appended to the event file's name, as TensorFlow's <c>filename_suffix</c>. Must not contain path separators.</summary>
    /// <value>Default: empty.</value>
    public string FileNameSuffix { get; init; } = string.Empty;

    /// <summary>Written as <c>source_metadata.writer</c> in each file's first event (at most 128 characters).</summary>
    /// <value>Default: <c>"HParamsNet"</c>.</value>
    public string WriterName { get; init; } = "HParamsNet";

    /// <summary>The clock for wall times, file names and the flush timer.</summary>
    /// <value>Default: <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (FlushInterval != Timeout.InfiniteTimeSpan && FlushInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FlushInterval), FlushInterval, "FlushInterval must be positive, or Timeout.InfiniteTimeSpan to flush only when the buffer fills.");
        }

        if (BufferSize < 256)
        {
            throw new ArgumentOutOfRangeException(nameof(BufferSize), BufferSize, "BufferSize must be at least 256 bytes.");
        }

        ArgumentNullException.ThrowIfNull(FileNameSuffix, nameof(FileNameSuffix));
        if (FileNameSuffix.IndexOfAny(['/', '\\']) >= 0)
        {
            throw new ArgumentException($"FileNameSuffix '{FileNameSuffix}' must not contain a path separator.", nameof(FileNameSuffix));
        }

        ArgumentNullException.ThrowIfNull(WriterName, nameof(WriterName));
        if (WriterName.Length > 128)
        {
            throw new ArgumentException("WriterName must be at most 128 characters; TensorBoard ignores a longer one.", nameof(WriterName));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
