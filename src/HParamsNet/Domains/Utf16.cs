using System.Buffers;
using System.Text;

namespace HParamsNet;

/// <summary>
/// Checks that names and values are well-formed UTF-16. A lone surrogate cannot be written as
/// UTF-8, so it would be replaced on disk and the study would not match itself on resume.
/// </summary>
internal static class Utf16
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="what"/> when <paramref name="text"/> holds a lone surrogate.</summary>
    public static void ThrowIfInvalid(string text, string what, string paramName)
    {
        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out int consumed) != OperationStatus.Done)
            {
                int at = text.Length - rest.Length;
                throw new ArgumentException(
                    $"{what} holds a lone UTF-16 surrogate (U+{(int)rest[0]:X4} at index {at}), which cannot be written as UTF-8: TensorBoard would show a replacement character and a resumed study would not match. Remove it, or pair it with its other half.",
                    paramName);
            }

            rest = rest[consumed..];
        }
    }
}
