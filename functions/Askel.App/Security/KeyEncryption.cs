using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Askel.App.Security;

/// <summary>
/// Encrypts each data-protection key before it is stored in the keys table (AES-256-GCM with a key derived from the
/// <see cref="LinkSecret"/>, which in Azure lives in Key Vault): reading the table gives no key that signs a cookie or an
/// antiforgery token. The stored element is <c>&lt;encryptedKey&gt;</c> holding base64 of nonce, tag and ciphertext.
/// </summary>
public sealed class KeyEncryptor(LinkSecret secret) : IXmlEncryptor
{
    internal const string Purpose = "data-protection-keys";
    internal static readonly XName Element = XName.Get("encryptedKey", "urn:askel:data-protection");

    /// <inheritdoc />
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[AesGcm.NonceByteSizes.MaxSize + AesGcm.TagByteSizes.MaxSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var tag = sealedBytes.AsSpan(nonce.Length, AesGcm.TagByteSizes.MaxSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(secret.KeyFor(Purpose), tag.Length);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(nonce.Length + tag.Length), tag, Encoding.ASCII.GetBytes(Purpose));
        return new EncryptedXmlInfo(new XElement(Element, Convert.ToBase64String(sealedBytes)), typeof(KeyDecryptor));
    }
}

/// <summary>Reads what <see cref="KeyEncryptor"/> stored (made by data protection's activator, with the app's services).</summary>
public sealed class KeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    /// <inheritdoc />
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        var nonce = sealedBytes.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var tag = sealedBytes.AsSpan(nonce.Length, AesGcm.TagByteSizes.MaxSize);
        var cipher = sealedBytes.AsSpan(nonce.Length + tag.Length);
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(services.GetRequiredService<LinkSecret>().KeyFor(KeyEncryptor.Purpose), tag.Length);
        aes.Decrypt(nonce, cipher, tag, plain, Encoding.ASCII.GetBytes(KeyEncryptor.Purpose));
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}
