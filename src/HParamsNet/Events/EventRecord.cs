using HParamsNet.Protos;

namespace HParamsNet.Events;

/// <summary>One event read from an event file, with where it was found.</summary>
/// <param name="Path">The event file.</param>
/// <param name="Offset">Byte offset of the event's record in the file.</param>
/// <param name="Event">The decoded event.</param>
public sealed record EventRecord(string Path, long Offset, Event Event);
