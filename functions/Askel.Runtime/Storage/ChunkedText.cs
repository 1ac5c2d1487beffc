using Azure.Data.Tables;

namespace Askel.Runtime.Storage;

/// <summary>
/// Long text across several string properties (<c>Name0</c>, <c>Name1</c>, …): a table string
/// property holds at most 64 KiB, an entity 1 MiB.
/// </summary>
internal static class ChunkedText
{
    private const int ChunkChars = 30_000;
    public const int MaxChunks = 28;

    public static void Write(TableEntity entity, string name, string text)
    {
        var chunks = (text.Length + ChunkChars - 1) / ChunkChars;
        if (chunks > MaxChunks)
        {
            throw new InstanceTooLargeException($"{name} is {text.Length} characters; at most {MaxChunks * ChunkChars} fit in one row.");
        }

        for (var i = 0; i < Math.Max(chunks, 1); i++)
        {
            entity[$"{name}{i}"] = text.Substring(i * ChunkChars, Math.Min(ChunkChars, text.Length - (i * ChunkChars)));
        }
    }

    public static string Read(TableEntity entity, string name)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; entity.TryGetValue($"{name}{i}", out var chunk) && chunk is string s; i++)
        {
            text.Append(s);
        }

        return text.ToString();
    }
}

/// <summary>An instance's data grew past what one table row holds.</summary>
public sealed class InstanceTooLargeException(string message) : Exception(message);
