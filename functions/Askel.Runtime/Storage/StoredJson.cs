using System.Text.Encodings.Web;
using System.Text.Json;

namespace Askel.Runtime.Storage;

/// <summary>
/// How JSON is written into a table row: escaped only where JSON requires it. The default encoder escapes every
/// non-ASCII character as <c>\uXXXX</c>, which makes Arabic or Cyrillic text six times as long in a row that holds
/// 32K characters per property. Never written into HTML.
/// </summary>
public static class StoredJson
{
    /// <summary>The serializer options for JSON kept in a row.</summary>
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
