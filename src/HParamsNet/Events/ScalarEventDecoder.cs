using System.Buffers.Binary;
using System.Text;

namespace HParamsNet.Events;

/// <summary>
/// Decodes the scalar values of an event payload straight from the wire, without building
/// messages: the reader's hot path. It understands v1 <c>simple_value</c> and v2 DT_FLOAT rank-0
/// tensors; anything else (another dtype, a malformed payload) makes it answer "not decoded" so
/// that the caller falls back to the full protobuf parser, which defines the semantics.
/// </summary>
/// <remarks>
/// Keeps per-file state as TensorBoard does: the plugin of a tag is fixed by the first metadata
/// seen for it, and tag strings are reused across events. Not thread-safe.
/// </remarks>
internal sealed class ScalarEventDecoder
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private static ReadOnlySpan<byte> ScalarsPlugin => "scalars"u8;

    // Tags seen so far: their UTF-8 bytes, the string handed out, and whether they are scalars.
    private readonly List<TagEntry> _tags = [];

    /// <summary>
    /// Whether values of other plugins (hparams, text, ...) make <see cref="TryDecode"/> answer
    /// "not decoded", so that the caller parses those (rare) events fully and sees them.
    /// </summary>
    public bool DeferOtherPlugins { get; init; }

    /// <summary>
    /// Decodes <paramref name="payload"/>, adding its scalar points to <paramref name="output"/>.
    /// Returns false, having added nothing, when the payload needs the full parser.
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> payload, List<ScalarEvent> output)
    {
        double wallTime = 0;
        long step = 0;
        ReadOnlySpan<byte> summary = default;
        bool hasSummary = false;
        var reader = new WireReader(payload);
        while (!reader.End)
        {
            if (!reader.TryReadKey(out int field, out int wire))
            {
                return false;
            }

            switch (field, wire)
            {
                case (1, WireFixed64) when reader.TryReadFixed64(out ulong bits):
                    wallTime = BitConverter.UInt64BitsToDouble(bits);
                    break;
                case (2, WireVarint) when reader.TryReadVarint(out ulong raw):
                    step = (long)raw;
                    break;
                case (5, WireLengthDelimited) when reader.TryReadBytes(out summary):
                    hasSummary = true;
                    break;
                default:
                    if (!reader.TrySkip(wire))
                    {
                        return false;
                    }

                    break;
            }
        }

        if (!hasSummary)
        {
            return true;
        }

        int added = output.Count;
        var values = new WireReader(summary);
        while (!values.End)
        {
            if (!values.TryReadKey(out int field, out int wire)
                || (field == 1 && wire == WireLengthDelimited ? !values.TryReadBytes(out ReadOnlySpan<byte> value) || !TryDecodeValue(value, step, wallTime, output) : !values.TrySkip(wire)))
            {
                output.RemoveRange(added, output.Count - added);
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds the scalar points of an event the full parser decoded, with the same tag state.</summary>
    public void AddParsed(Protos.Event evt, List<ScalarEvent> output)
    {
        if (evt.Summary is null)
        {
            return;
        }

        foreach (Protos.Summary.Types.Value value in evt.Summary.Value)
        {
            bool isSimple = value.ValueCase == Protos.Summary.Types.Value.ValueOneofCase.SimpleValue;
            string? plugin = value.Metadata?.PluginData?.PluginName;
            TagEntry entry = Lookup(Encoding.UTF8.GetBytes(value.Tag), value.Metadata is not null, plugin == ScalarSummaries.PluginName, isSimple);
            if ((isSimple || entry.IsScalar) && ScalarSummaries.TryGetValue(value) is double number)
            {
                output.Add(new ScalarEvent(entry.Tag, new ScalarPoint(evt.Step, number, evt.WallTime)));
            }
        }
    }

    private bool TryDecodeValue(ReadOnlySpan<byte> value, long step, double wallTime, List<ScalarEvent> output)
    {
        ReadOnlySpan<byte> tag = default;
        ReadOnlySpan<byte> tensor = default;
        ReadOnlySpan<byte> metadata = default;
        float simple = 0;
        bool hasSimple = false;
        bool hasTensor = false;
        bool hasMetadata = false;
        var reader = new WireReader(value);
        while (!reader.End)
        {
            if (!reader.TryReadKey(out int field, out int wire))
            {
                return false;
            }

            bool ok = (field, wire) switch
            {
                (1, WireLengthDelimited) => reader.TryReadBytes(out tag),
                (2, WireFixed32) => hasSimple = reader.TryReadFloat(out simple),
                (8, WireLengthDelimited) => hasTensor = reader.TryReadBytes(out tensor),
                (9, WireLengthDelimited) => hasMetadata = reader.TryReadBytes(out metadata),
                (7, _) => false, // node_name stands in for an empty tag: leave it to the full parser
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (hasSimple && hasTensor)
        {
            return false; // a oneof set twice: the full parser decides which wins
        }

        TagEntry entry = Lookup(tag, hasMetadata, hasMetadata && PluginNameIs(metadata, ScalarsPlugin), hasSimple);
        if (hasSimple)
        {
            output.Add(new ScalarEvent(entry.Tag, new ScalarPoint(step, simple, wallTime)));
            return true;
        }

        if (!hasTensor || !entry.IsScalar)
        {
            return !(DeferOtherPlugins && hasMetadata); // another plugin's data: no scalar here
        }

        if (!TryReadFloatTensor(tensor, out float number))
        {
            return false;
        }

        output.Add(new ScalarEvent(entry.Tag, new ScalarPoint(step, number, wallTime)));
        return true;
    }

    private static bool TryReadFloatTensor(ReadOnlySpan<byte> tensor, out float value)
    {
        value = 0;
        int dtype = 0;
        int count = 0;
        var reader = new WireReader(tensor);
        while (!reader.End)
        {
            if (!reader.TryReadKey(out int field, out int wire))
            {
                return false;
            }

            switch (field, wire)
            {
                case (1, WireVarint) when reader.TryReadVarint(out ulong raw):
                    dtype = (int)raw;
                    break;
                case (2, WireLengthDelimited) when reader.TryReadBytes(out ReadOnlySpan<byte> shape):
                    if (!shape.IsEmpty)
                    {
                        return false; // a shape with dims: not rank 0
                    }

                    break;
                case (4, WireLengthDelimited) or (5, WireLengthDelimited) when reader.TryReadBytes(out ReadOnlySpan<byte> data):
                    if (data.Length != sizeof(float))
                    {
                        return data.IsEmpty && field == 4; // empty tensor_content is "unset"
                    }

                    value = BinaryPrimitives.ReadSingleLittleEndian(data);
                    count++;
                    break;
                case (5, WireFixed32) when reader.TryReadFloat(out float single):
                    value = single;
                    count++;
                    break;
                default:
                    return false; // any other field: let the full parser judge
            }
        }

        return dtype == 1 && count == 1;
    }

    private TagEntry Lookup(ReadOnlySpan<byte> tag, bool hasMetadata, bool isScalarsPlugin, bool isSimpleValue)
    {
        foreach (TagEntry known in _tags)
        {
            if (tag.SequenceEqual(known.Utf8))
            {
                return known;
            }
        }

        // The first value of a tag fixes its plugin, as in TensorBoard.
        bool isScalar = isSimpleValue || (hasMetadata && isScalarsPlugin);
        var entry = new TagEntry(tag.ToArray(), Encoding.UTF8.GetString(tag), isScalar);
        _tags.Add(entry);
        return entry;
    }

    private static bool PluginNameIs(ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> name)
    {
        var reader = new WireReader(metadata);
        while (!reader.End && reader.TryReadKey(out int field, out int wire))
        {
            if (field == 1 && wire == WireLengthDelimited && reader.TryReadBytes(out ReadOnlySpan<byte> pluginData))
            {
                var inner = new WireReader(pluginData);
                while (!inner.End && inner.TryReadKey(out int f, out int w))
                {
                    if (f == 1 && w == WireLengthDelimited && inner.TryReadBytes(out ReadOnlySpan<byte> pluginName))
                    {
                        return pluginName.SequenceEqual(name);
                    }

                    if (!inner.TrySkip(w))
                    {
                        return false;
                    }
                }

                return name.IsEmpty;
            }

            if (!reader.TrySkip(wire))
            {
                return false;
            }
        }

        return false;
    }

    private sealed record TagEntry(byte[] Utf8, string Tag, bool IsScalar);

    /// <summary>Protobuf wire-format primitives over a span; every read is bounds-checked.</summary>
    private ref struct WireReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public readonly bool End => _at >= _data.Length;

        public bool TryReadKey(out int field, out int wire)
        {
            field = wire = 0;
            if (!TryReadVarint(out ulong key) || key > int.MaxValue || (key >> 3) == 0)
            {
                return false;
            }

            field = (int)(key >> 3);
            wire = (int)(key & 7);
            return true;
        }

        public bool TryReadVarint(out ulong value)
        {
            value = 0;
            for (int shift = 0; shift < 64 && _at < _data.Length; shift += 7)
            {
                byte b = _data[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return true;
                }
            }

            return false;
        }

        public bool TryReadFixed64(out ulong value)
        {
            value = 0;
            if (_data.Length - _at < 8)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_at..]);
            _at += 8;
            return true;
        }

        public bool TryReadFloat(out float value)
        {
            value = 0;
            if (_data.Length - _at < 4)
            {
                return false;
            }

            value = BinaryPrimitives.ReadSingleLittleEndian(_data[_at..]);
            _at += 4;
            return true;
        }

        public bool TryReadBytes(out ReadOnlySpan<byte> bytes)
        {
            bytes = default;
            if (!TryReadVarint(out ulong length) || length > (ulong)(_data.Length - _at))
            {
                return false;
            }

            bytes = _data.Slice(_at, (int)length);
            _at += (int)length;
            return true;
        }

        public bool TrySkip(int wire)
        {
            switch (wire)
            {
                case WireVarint:
                    return TryReadVarint(out _);
                case WireFixed64:
                    return TryReadFixed64(out _);
                case WireLengthDelimited:
                    return TryReadBytes(out _);
                case WireFixed32:
                    return TryReadFloat(out _);
                default:
                    return false; // groups and invalid wire types: leave it to the full parser
            }
        }
    }
}
