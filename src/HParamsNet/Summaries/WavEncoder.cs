using System.Buffers.Binary;

namespace HParamsNet.Summaries;

/// <summary>
/// Encodes float samples in [-1, 1] as a 16-bit PCM WAV file: the 44-byte RIFF header and the
/// interleaved samples, each scaled by 32767 and truncated toward zero as PyTorch's and
/// TensorFlow's writers do, so that the same samples give the same file. Hand-written: it is the
/// whole format, and an audio library would be the core's largest dependency.
/// </summary>
internal static class WavEncoder
{
    /// <summary>WAV bytes of interleaved <paramref name="samples"/> (frames x channels).</summary>
    public static byte[] Encode(ReadOnlySpan<float> samples, int channels, int sampleRate)
    {
        int dataBytes = samples.Length * sizeof(short);
        var wav = new byte[44 + dataBytes];
        Span<byte> h = wav;
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(h[8..]);
        "fmt "u8.CopyTo(h[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(h[16..], 16); // PCM header size
        BinaryPrimitives.WriteInt16LittleEndian(h[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(h[22..], (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(h[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(h[28..], sampleRate * channels * sizeof(short)); // bytes per second
        BinaryPrimitives.WriteInt16LittleEndian(h[32..], (short)(channels * sizeof(short))); // bytes per frame
        BinaryPrimitives.WriteInt16LittleEndian(h[34..], 16); // bits per sample
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(h[40..], dataBytes);
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(h[(44 + (2 * i))..], (short)(samples[i] * 32767f));
        }

        return wav;
    }
}
