namespace Askel.App.Coordinator;

/// <summary>The coordinator pages' words, in Finnish and English (the coordinators' working languages).</summary>
public static class CoordinatorTexts
{
    /// <summary>The languages of the coordinator pages, in the order the switch shows them.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["fi", "en"];

    private static readonly Dictionary<string, (string Fi, string En)> Texts = new(StringComparer.Ordinal)
    {
        ["site"] = ("Askel – koordinaattorit", "Askel – coordinators"),
        ["skip"] = ("Siirry sisältöön", "Skip to content"),
        ["language-switch"] = ("Kieli", "Language"),
        ["signed-in-as"] = ("Kirjautuneena: {name}", "Signed in as {name}"),
        ["sign-out"] = ("Kirjaudu ulos", "Sign out"),
        ["sign-in"] = ("Kirjaudu sisään", "Sign in"),
        ["sign-in-title"] = ("Kirjautuminen", "Sign in"),
        ["sign-in-local"] = ("Kehityskäytön kirjautuminen: valitse käyttäjä projektitiedostoista.", "Development sign-in: choose a user named in the project files."),
        ["sign-in-user"] = ("Käyttäjä", "User"),
        ["sign-in-aad"] = ("Kirjaudu sisään organisaatiosi tunnuksilla App Service -tunnistautumisen kautta.", "Sign in with your organisation account through App Service authentication."),
        ["sign-in-aad-link"] = ("Kirjaudu sisään (Entra ID)", "Sign in (Entra ID)"),
        ["unauthorized-title"] = ("Kirjautuminen vaaditaan", "Sign-in required"),
        ["forbidden-title"] = ("Ei käyttöoikeutta", "No access"),
        ["forbidden-body"] = ("Sinulla ei ole koordinaattorin roolia.", "You do not have the coordinator role."),
        ["not-found-title"] = ("Sivua ei löydy", "Page not found"),
        ["not-found-body"] = ("Tätä sivua ei ole, tai sinulla ei ole siihen pääsyä.", "There is no such page, or you do not have access to it."),
        ["bad-request-title"] = ("Pyyntöä ei voitu käsitellä", "The request could not be handled"),
        ["bad-request-body"] = ("Lomakkeen suojaustunniste puuttui tai oli vanhentunut. Palaa takaisin, lataa sivu uudelleen ja yritä uudelleen.", "The form's protection token was missing or out of date. Go back, reload the page and try again."),
        ["projects-title"] = ("Projektit", "Projects"),
        ["no-projects"] = ("Et koordinoi yhtään projektia.", "You do not coordinate any projects."),
        ["project-ends"] = ("päättyy {date}", "ends {date}"),
        ["participants-title"] = ("Osallistujat", "Participants"),
        ["no-participants"] = ("Ei vielä osallistujia.", "No participants yet."),
        ["enrol-link"] = ("Lisää osallistuja", "Enrol a participant"),
        ["back-to-projects"] = ("Kaikki projektit", "All projects"),
        ["back-to-project"] = ("Takaisin projektiin", "Back to the project"),
        ["back-to-participant"] = ("Takaisin osallistujaan", "Back to the participant"),
        ["col-name"] = ("Nimi", "Name"),
        ["col-language"] = ("Kieli", "Language"),
        ["col-state"] = ("Tila", "State"),
        ["col-entry"] = ("Alkulomake", "Entry form"),
        ["col-exit"] = ("Loppulomake", "Exit form"),
        ["col-six-month"] = ("Puolen vuoden seuranta", "Six-month follow-up"),
        ["col-task"] = ("Tehtävä", "Task"),
        ["col-participant"] = ("Osallistuja", "Participant"),
        ["col-when"] = ("Milloin", "When"),
        ["col-what"] = ("Mitä", "What"),
        ["col-step"] = ("Vaihe", "Step"),
        ["col-detail"] = ("Tarkemmin", "Detail"),
        ["col-channel"] = ("Kanava", "Channel"),
        ["col-status"] = ("Tila", "Status"),
        ["col-form"] = ("Lomake", "Form"),
        ["col-version"] = ("Versio", "Version"),
        ["col-filled-by"] = ("Täyttäjä", "Filled in by"),
        ["col-submitted"] = ("Lähetetty", "Submitted"),
        ["col-date"] = ("Päivä", "Date"),
        ["col-minutes"] = ("Minuutit", "Minutes"),
        ["col-kind"] = ("Laji", "Kind"),
        ["col-coordinator"] = ("Koordinaattori", "Coordinator"),
        ["col-actor"] = ("Kuka", "Who"),
        ["received"] = ("saatu {date}", "received {date}"),
        ["not-received"] = ("ei vielä", "not yet"),
        ["state-step"] = ("vaihe {step}", "step {step}"),
        ["state-awaiting"] = ("odottaa: {what}", "awaiting: {what}"),
        ["state-next-timer"] = ("seuraava ajastin {when} ({kind})", "next timer {when} ({kind})"),
        ["state-none"] = ("ei työnkulkua", "no workflow"),
        ["open-tasks-title"] = ("Avoimet tehtävät", "Open tasks"),
        ["no-open-tasks"] = ("Ei avoimia tehtäviä.", "No open tasks."),
        ["enrol-title"] = ("Lisää osallistuja", "Enrol a participant"),
        ["first-name"] = ("Etunimi", "First name"),
        ["last-name"] = ("Sukunimi", "Last name"),
        ["language"] = ("Kieli, jolla osallistuja lukee viestit", "The language the participant reads"),
        ["email"] = ("Sähköposti", "Email"),
        ["phone"] = ("Matkapuhelin", "Mobile number"),
        ["contact-hint"] = ("Anna sähköposti tai matkapuhelinnumero, tai molemmat.", "Give an email address or a mobile number, or both."),
        ["intake-in-person"] = ("Näytä alkulomakkeen linkki QR-koodina tapaamisessa, älä lähetä sitä nyt", "Show the intake link as a QR code in a meeting instead of sending it now"),
        ["enrol-button"] = ("Lisää osallistuja", "Enrol"),
        ["errors-title"] = ("Korjaa nämä kohdat", "Please fix these"),
        ["first-name-invalid"] = ("Kirjoita etunimi (enintään 60 merkkiä, ei merkkejä < > { }).", "Type a first name (at most 60 characters, no < > { })."),
        ["last-name-invalid"] = ("Kirjoita sukunimi (enintään 60 merkkiä, ei merkkejä < > { }).", "Type a last name (at most 60 characters, no < > { })."),
        ["language-invalid"] = ("Valitse kieli listasta.", "Choose a language from the list."),
        ["email-invalid"] = ("Sähköpostiosoite ei ole kelvollinen, esim. nimi@esimerkki.fi.", "The email address is not valid, e.g. name@example.com."),
        ["phone-invalid"] = ("Matkapuhelinnumero ei ole kelvollinen, esim. 040 123 4567 tai +358 40 123 4567.", "The mobile number is not valid, e.g. 040 123 4567 or +358 40 123 4567."),
        ["contact-required"] = ("Anna sähköposti tai matkapuhelinnumero.", "Give an email address or a mobile number."),
        ["details-title"] = ("Tiedot", "Details"),
        ["enrolled"] = ("Lisätty", "Enrolled"),
        ["enrolled-by"] = ("Lisääjä", "Enrolled by"),
        ["left-at"] = ("Lähtenyt", "Left"),
        ["instance-title"] = ("Työnkulku", "Workflow"),
        ["instance-status"] = ("Tila", "Status"),
        ["instance-outcome"] = ("Lopputulos", "Outcome"),
        ["history-title"] = ("Historia", "History"),
        ["messages-title"] = ("Viestit", "Messages"),
        ["no-messages"] = ("Ei viestejä.", "No messages."),
        ["message-sent"] = ("lähetetty", "sent"),
        ["message-retrying"] = ("yritetään uudelleen", "retrying"),
        ["message-failed"] = ("epäonnistui", "failed"),
        ["message-delivered"] = ("perillä", "delivered"),
        ["message-bounced"] = ("palautui", "bounced"),
        ["col-provider"] = ("Palvelu", "Provider"),
        ["responses-title"] = ("Lomakevastaukset", "Form responses"),
        ["no-responses"] = ("Ei vastauksia.", "No responses."),
        ["answers"] = ("Vastaukset", "Answers"),
        ["sessions-title"] = ("Ohjauskäynnit", "Coaching sessions"),
        ["no-sessions"] = ("Ei kirjattuja käyntejä.", "No sessions logged."),
        ["audit-title"] = ("Lokimerkinnät", "Audit records"),
        ["actions-title"] = ("Toiminnot", "Actions"),
        ["log-session-title"] = ("Kirjaa ohjauskäynti", "Log a coaching session"),
        ["session-date"] = ("Päivä (VVVV-KK-PP)", "Date (YYYY-MM-DD)"),
        ["session-minutes"] = ("Kesto minuutteina", "Length in minutes"),
        ["session-kind"] = ("Laji", "Kind"),
        ["kind-individual"] = ("yksilöohjaus", "individual"),
        ["kind-group"] = ("ryhmä", "group"),
        ["kind-phone"] = ("puhelin", "phone"),
        ["log-session-button"] = ("Kirjaa käynti", "Log the session"),
        ["session-invalid"] = ("Anna päivä muodossa VVVV-KK-PP, kesto 1–600 minuuttia ja laji.", "Give the date as YYYY-MM-DD, a length of 1–600 minutes and a kind."),
        ["mark-left-title"] = ("Merkitse lähteneeksi", "Mark as left"),
        ["left-date"] = ("Lähtöpäivä (VVVV-KK-PP)", "Date of leaving (YYYY-MM-DD)"),
        ["mark-left-button"] = ("Merkitse lähteneeksi", "Mark as left"),
        ["left-invalid"] = ("Anna lähtöpäivä muodossa VVVV-KK-PP.", "Give the date of leaving as YYYY-MM-DD."),
        ["complete-task-title"] = ("Merkitse tehtävä tehdyksi: {task}", "Complete the task: {task}"),
        ["outcome"] = ("Lopputulos", "Outcome"),
        ["reason"] = ("Perustelu (pakollinen, jos osallistuja on muuttanut tai ei tavoitettavissa)", "Reason (required when the participant moved away or is unreachable)"),
        ["complete-task-button"] = ("Merkitse tehdyksi", "Complete the task"),
        ["reason-required"] = ("Kirjoita perustelu: se vaaditaan, kun osallistuja on muuttanut tai ei ole tavoitettavissa.", "Write a reason: it is required when the participant moved away or is unreachable."),
        ["task-refused"] = ("Tehtävää ei voitu merkitä: {reason}", "The task could not be completed: {reason}"),
        ["confirm-external-title"] = ("Vahvista ulkoinen lomake", "Confirm an external form"),
        ["confirm-external-body"] = ("Osallistuja on täyttänyt lomakkeen {name} toisessa järjestelmässä (EURA 2021).", "The participant has filled in the form {name} in another system (EURA 2021)."),
        ["confirm-external-button"] = ("Vahvista täytetyksi", "Confirm it was filled in"),
        ["fill-assisted-title"] = ("Täytä lomake yhdessä", "Fill in a form together"),
        ["fill-assisted-link"] = ("Täytä lomake {form} yhdessä osallistujan kanssa", "Fill in the form {form} together with the participant"),
        ["link-title"] = ("Lomakkeen linkki", "Form link"),
        ["show-qr"] = ("Näytä nykyinen linkki QR-koodina", "Show the current link as a QR code"),
        ["send-new-link"] = ("Lähetä uusi linkki (vanha lakkaa toimimasta)", "Send a new link (the old one stops working)"),
        ["qr-alt"] = ("Linkin QR-koodi", "QR code of the link"),
        ["qr-body"] = ("Osallistuja voi avata lomakkeen {form} lukemalla koodin puhelimellaan.", "The participant can open the form {form} by scanning the code with their phone."),
        ["link-expires"] = ("Linkki toimii {date} asti.", "The link works until {date}."),
        ["new-link-sent"] = ("Uusi linkki on luotu ja lähetetty ({channel}); vanha linkki ei enää toimi.", "A new link was made and sent ({channel}); the old link no longer works."),
        ["no-form-awaited"] = ("Työnkulku ei nyt odota lomaketta.", "The workflow is not waiting for a form now."),
        ["done-title"] = ("Lomake tallennettu", "Form saved"),
        ["done-body"] = ("Lomake on tallennettu.", "The form has been saved."),
        ["saved"] = ("Tallennettu.", "Saved."),
        ["yes"] = ("kyllä", "yes"),
    };

    /// <summary>The text for <paramref name="key"/>, with <c>{name}</c> placeholders filled in.</summary>
    public static string Get(string key, string language, params (string Name, string? Value)[] values)
    {
        var text = Texts.TryGetValue(key, out var pair) ? (language == "en" ? pair.En : pair.Fi) : key;
        foreach (var (name, value) in values)
        {
            text = text.Replace("{" + name + "}", value ?? "", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Whether a key exists (an enrolment problem key, for example).</summary>
    public static bool Has(string key) => Texts.ContainsKey(key);

    /// <summary>The page language from <c>?lang=</c> (or a posted <c>lang</c>), Finnish by default.</summary>
    public static string LanguageOf(HttpContext context, string? posted = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var chosen = posted ?? context.Request.Query["lang"].ToString();
        return Languages.Contains(chosen) ? chosen : "fi";
    }
}
