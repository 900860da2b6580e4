using System.Globalization;
using System.Text;

namespace HParamsNet.Sessions;

/// <summary>
/// Reads a run's <c>projector_config.pbtxt</c>: the embeddings TensorBoard's projector lists.
/// </summary>
/// <remarks>
/// Hand-written because the file is protobuf text format, which Google.Protobuf for .NET does not
/// parse. It reads the grammar the projector's writers use (fields, nested blocks, strings with
/// escapes, numbers, comments) and returns the fields the projector plugin reads; other fields are
/// parsed and left out.
/// </remarks>
internal static class ProjectorConfigReader
{
    /// <summary>The embeddings the file at <paramref name="path"/> lists, paths resolved against <paramref name="runDirectory"/>.</summary>
    /// <exception cref="FormatException">The file is not protobuf text format; the message names it and the line.</exception>
    public static IReadOnlyList<EmbeddingInfo> Read(string path, string runDirectory)
    {
        var parser = new Parser(File.ReadAllText(path), path);
        var embeddings = new List<EmbeddingInfo>();
        foreach ((string name, Node node) in parser.ParseMessage(endsWithBrace: false))
        {
            if (name == "embeddings" && node.Block is { } block)
            {
                embeddings.Add(Embedding(block, runDirectory));
            }
        }

        return embeddings;
    }

    private static EmbeddingInfo Embedding(List<(string Name, Node Node)> fields, string runDirectory)
    {
        string? Text(string field) => fields.LastOrDefault(f => f.Name == field && f.Node.Text is not null).Node?.Text;
        string? Resolve(string? relative) => relative is null ? null : Path.GetFullPath(Path.Combine(runDirectory, relative));

        List<(string Name, Node Node)>? sprite = fields.LastOrDefault(f => f.Name == "sprite" && f.Node.Block is not null).Node?.Block;
        string? spriteImage = sprite?.LastOrDefault(f => f.Name == "image_path" && f.Node.Text is not null).Node?.Text;
        int[] spriteDim = sprite?.Where(f => f.Name == "single_image_dim" && f.Node.Text is not null).Select(f => int.Parse(f.Node.Text!, CultureInfo.InvariantCulture)).ToArray() ?? [];
        return new EmbeddingInfo(
            Text("tensor_name") ?? string.Empty,
            Resolve(Text("tensor_path")),
            Resolve(Text("metadata_path")),
            Resolve(spriteImage),
            spriteDim);
    }

    // A field's value: a scalar (its text) or a nested message (its fields).
    private sealed record Node(string? Text, List<(string Name, Node Node)>? Block);

    private sealed class Parser(string text, string path)
    {
        private int _at;

        public List<(string Name, Node Node)> ParseMessage(bool endsWithBrace)
        {
            var fields = new List<(string, Node)>();
            while (true)
            {
                SkipSpaceAndComments();
                if (_at >= text.Length)
                {
                    return endsWithBrace ? throw Error("a '}' closes every block; the file ends first") : fields;
                }

                if (text[_at] == '}')
                {
                    _at++;
                    return endsWithBrace ? fields : throw Error("a '}' without its '{'");
                }

                string name = Identifier();
                SkipSpaceAndComments();
                bool colon = _at < text.Length && text[_at] == ':';
                if (colon)
                {
                    _at++;
                    SkipSpaceAndComments();
                }

                if (_at < text.Length && text[_at] == '{')
                {
                    _at++;
                    fields.Add((name, new Node(null, ParseMessage(endsWithBrace: true))));
                }
                else if (colon)
                {
                    fields.Add((name, new Node(Scalar(), null)));
                }
                else
                {
                    throw Error($"field '{name}' has neither ':' nor '{{'");
                }

                SkipSpaceAndComments();
                if (_at < text.Length && (text[_at] == ',' || text[_at] == ';'))
                {
                    _at++;
                }
            }
        }

        private string Identifier()
        {
            int start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '_' or '.'))
            {
                _at++;
            }

            return _at > start ? text[start.._at] : throw Error($"a field name was expected, not '{text[_at]}'");
        }

        private string Scalar()
        {
            if (_at < text.Length && text[_at] is '"' or '\'')
            {
                // Adjacent string literals join, as in protobuf text format.
                var value = new StringBuilder();
                while (_at < text.Length && text[_at] is '"' or '\'')
                {
                    value.Append(QuotedString());
                    SkipSpaceAndComments();
                }

                return value.ToString();
            }

            int start = _at;
            while (_at < text.Length && !char.IsWhiteSpace(text[_at]) && text[_at] is not ('}' or ',' or ';' or '#'))
            {
                _at++;
            }

            return _at > start ? text[start.._at] : throw Error("a value was expected");
        }

        private string QuotedString()
        {
            char quote = text[_at++];
            var bytes = new List<byte>();
            while (true)
            {
                if (_at >= text.Length || text[_at] == '\n')
                {
                    throw Error("a string is not closed on its line");
                }

                char c = text[_at++];
                if (c == quote)
                {
                    return Encoding.UTF8.GetString([.. bytes]);
                }

                if (c != '\\')
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                    continue;
                }

                char e = _at < text.Length ? text[_at++] : throw Error("a string ends in '\\'");
                switch (e)
                {
                    case 'n': bytes.Add((byte)'\n'); break;
                    case 't': bytes.Add((byte)'\t'); break;
                    case 'r': bytes.Add((byte)'\r'); break;
                    case 'a': bytes.Add(7); break;
                    case 'b': bytes.Add(8); break;
                    case 'f': bytes.Add(12); break;
                    case 'v': bytes.Add(11); break;
                    case 'x':
                        bytes.Add(Digits(16, 2));
                        break;
                    case >= '0' and <= '7':
                        _at--;
                        bytes.Add(Digits(8, 3));
                        break;
                    default:
                        bytes.AddRange(Encoding.UTF8.GetBytes(e.ToString())); // \" \' \\ \?
                        break;
                }
            }
        }

        // Python's text format writes bytes outside ASCII as octal escapes; hex ones read too.
        private byte Digits(int radix, int most)
        {
            int value = 0, count = 0;
            while (count < most && _at < text.Length && Uri.IsHexDigit(text[_at]) && Convert.ToInt32(text[_at].ToString(), 16) < radix)
            {
                value = (value * radix) + Convert.ToInt32(text[_at].ToString(), 16);
                _at++;
                count++;
            }

            return count > 0 && value <= 255 ? (byte)value : throw Error("a malformed escape in a string");
        }

        private void SkipSpaceAndComments()
        {
            while (_at < text.Length)
            {
                if (char.IsWhiteSpace(text[_at]))
                {
                    _at++;
                }
                else if (text[_at] == '#')
                {
                    while (_at < text.Length && text[_at] != '\n')
                    {
                        _at++;
                    }
                }
                else
                {
                    return;
                }
            }
        }

        private FormatException Error(string what)
        {
            int line = 1 + text.AsSpan(0, Math.Min(_at, text.Length)).Count('\n');
            return new FormatException($"'{path}' line {line}: not protobuf text format as TensorBoard's projector reads it: {what}. Rewrite or remove the file; the projector cannot list this run's embeddings.");
        }
    }
}
