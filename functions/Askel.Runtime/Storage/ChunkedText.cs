using Azure.Data.Tables;

namespace Askel.Runtime.Storage;

/// <summary>
/// Long text across several string properties (<c>Name0</c>, <c>Name1</c>, …): a table string property holds at
/// most 64 KiB (32K UTF-16 characters), an entity 1 MiB.
/// </summary>
public static class ChunkedText
{
    private const int ChunkChars = 30_000;

    /// <summary>At most this many chunks: 16 × 60 KB leaves room in a 1 MiB entity for its other properties.</summary>
    public const int MaxChunks = 16;

    /// <summary>The longest text that fits.</summary>
    public const int MaxChars = MaxChunks * ChunkChars;

    /// <summary>Writes <paramref name="text"/> into <paramref name="entity"/> as <c>{name}0</c>, <c>{name}1</c>, ….</summary>
    /// <exception cref="RowTooLargeException">The text is longer than <see cref="MaxChars"/>.</exception>
    public static void Write(TableEntity entity, string name, string text)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxChars)
        {
            throw new RowTooLargeException($"{name} is {text.Length} characters; at most {MaxChars} fit in one row.");
        }

        var chunks = (text.Length + ChunkChars - 1) / ChunkChars;
        for (var i = 0; i < Math.Max(chunks, 1); i++)
        {
            entity[$"{name}{i}"] = text.Substring(i * ChunkChars, Math.Min(ChunkChars, text.Length - (i * ChunkChars)));
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote (empty when there is none).</summary>
    public static string Read(TableEntity entity, string name)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var text = new System.Text.StringBuilder();
        for (var i = 0; entity.TryGetValue($"{name}{i}", out var chunk) && chunk is string s; i++)
        {
            text.Append(s);
        }

        return text.ToString();
    }
}

/// <summary>Text grew past what one table row holds.</summary>
public sealed class RowTooLargeException(string message) : Exception(message);
