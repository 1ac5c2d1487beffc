using System.Net.Mail;
using PhoneNumbers;

namespace Askel.App.Participants;

/// <summary>Checks and normalises contact details at entry, so a bad one is refused before anything is sent.</summary>
public static class Contacts
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>A mobile number in E.164 (<c>+358401234567</c>), read with Finland as the default region; null when it is not a valid number.</summary>
    public static string? NormalisePhone(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
        {
            return null;
        }

        try
        {
            var number = Phones.Parse(text, "FI");
            var type = Phones.GetNumberType(number);
            return Phones.IsValidNumber(number) && type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE
                ? Phones.Format(number, PhoneNumberFormat.E164)
                : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>
    /// A trimmed email address when it is a plain valid address (<c>name@domain.tld</c>), else null. The characters
    /// Table Storage refuses in a key (<c>/ \ # ?</c>) are refused too: the address is a key of the contacts table.
    /// </summary>
    public static string? NormaliseEmail(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || trimmed.Any(char.IsWhiteSpace) || trimmed.Any(char.IsControl) || trimmed.AsSpan().IndexOfAny("/\\#?") >= 0)
        {
            return null;
        }

        return MailAddress.TryCreate(trimmed, out var address) && address.Address == trimmed && address.Host.Contains('.', StringComparison.Ordinal) && !address.Host.EndsWith('.')
            ? trimmed
            : null;
    }
}
