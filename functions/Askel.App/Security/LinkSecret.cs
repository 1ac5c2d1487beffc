using System.Security.Cryptography;
using System.Text;
using Askel.App.Hosting;
using Microsoft.Extensions.Options;

namespace Askel.App.Security;

/// <summary>
/// The app's one secret (<c>Askel__LinkSecret</c>: a Key Vault reference in Azure; locally a file made on first start in
/// the data folder). Form-link tokens are derived from it, and so is the key that encrypts the data-protection keys at
/// rest, each for its own purpose, so that reading the storage account is not enough to open a form or mint a token.
/// </summary>
public sealed class LinkSecret
{
    private readonly byte[] _value;

    private LinkSecret(byte[] value) => _value = value;

    /// <summary>The secret itself: the key of the form links' HMAC.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>A 256-bit key for <paramref name="purpose"/> (HKDF-SHA256), independent of the links' and of every other purpose's.</summary>
    public byte[] KeyFor(string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _value, 32, info: Encoding.UTF8.GetBytes("askel/" + purpose));

    /// <summary>Reads the secret from the settings; in Azure it must be set, locally it is made once per data folder.</summary>
    public static LinkSecret Load(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AskelOptions>>().Value;
        if (options.LinkSecret.Length > 0)
        {
            try
            {
                var secret = Convert.FromBase64String(options.LinkSecret);
                return secret.Length >= 32 ? new LinkSecret(secret) : throw new FormatException();
            }
            catch (FormatException)
            {
                throw new SettingException("Askel__LinkSecret must be base64 of at least 32 random bytes (e.g. `openssl rand -base64 32`); in Azure it is a Key Vault reference.");
            }
        }

        if (HostingNames.InAzure(services.GetRequiredService<IConfiguration>()))
        {
            throw new SettingException("Askel__LinkSecret is not set: in Azure it must come from Key Vault, or form links would change on every restart.");
        }

        // Locally: one secret per data folder, made on first start, so links keep working across restarts.
        var path = Path.Combine(Path.GetFullPath(options.DataPath), "link-secret");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return new LinkSecret(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}
