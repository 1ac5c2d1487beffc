using System.Globalization;

namespace Askel.App.Summaries.Rendering;

/// <summary>
/// The summary's words in Finnish, Swedish and English (managers read Finnish; the app page and its files also in
/// Swedish and English). Swedish is in <c>SummaryTexts.Swedish.cs</c>.
/// </summary>
public static partial class SummaryTexts
{
    private static readonly Dictionary<string, (string Fi, string En)> Texts = new(StringComparer.Ordinal)
    {
        ["table-overview"] = ("Kuukauden luvut", "The month in figures"),
        ["table-capture"] = ("Lomakkeet: saatu / erääntynyt", "Forms received against forms due"),
        ["table-exit-outcomes"] = ("Tilanne projektista lähtiessä", "Situation when leaving"),
        ["table-six-month-outcomes"] = ("Tilanne kuusi kuukautta lähdön jälkeen", "Situation six months after leaving"),
        ["table-status-changes"] = ("Tilanteen muutos alusta loppuun", "Change in status from entry to exit"),
        ["table-indicators"] = ("ESR+-tuotosindikaattorit sukupuolittain", "ESF+ output indicators by gender"),
        ["table-targets"] = ("Tavoitteet ja toteuma", "Targets and actuals"),
        ["table-coordinators"] = ("Ohjaajien asiakasmäärät", "Caseload per coordinator"),
        ["table-open-tasks"] = ("Avoimet tehtävät", "Open coordinator tasks"),
        ["table-trend"] = ("Kehitys 12 kuukautta", "Twelve-month trend"),
        ["table-guidance"] = ("Kertaluonteinen ohjaus (anonyymi)", "One-off guidance (anonymous)"),
        ["guidance-all-contacts"] = ("Ohjauskontakteja", "Guidance contacts"),
        ["guidance-satisfaction"] = ("Tyytyväisyys palvelupisteellä (1–5)", "Satisfaction at the service point (1–5)"),
        ["guidance-satisfaction-answers"] = ("Tyytyväisyysvastauksia palvelupisteellä", "Satisfaction answers at the service point"),
        ["guidance-channel"] = ("Kanava", "Channel"),
        ["guidance-topic"] = ("Aihe", "Topic"),
        ["guidance-language"] = ("Kieli", "Language"),
        ["guidance-age"] = ("Ikäryhmä", "Age group"),
        ["guidance-gender"] = ("Sukupuoli", "Gender"),
        ["guidance-channel-walk-in"] = ("Käynti paikan päällä", "Walk-in"),
        ["guidance-channel-phone"] = ("Puhelin", "Phone"),
        ["guidance-channel-chat"] = ("Chat", "Chat"),
        ["guidance-channel-pop-up"] = ("Pop up -piste", "Pop-up stand"),
        ["guidance-topic-work"] = ("Työ", "Work"),
        ["guidance-topic-education"] = ("Koulutus", "Education"),
        ["guidance-topic-language-studies"] = ("Kieliopinnot", "Language studies"),
        ["guidance-topic-residence"] = ("Oleskelulupa", "Residence permit"),
        ["guidance-topic-social-security"] = ("Sosiaaliturva", "Social security"),
        ["guidance-topic-housing"] = ("Asuminen", "Housing"),
        ["guidance-topic-health"] = ("Terveys", "Health"),
        ["guidance-topic-other"] = ("Muu aihe", "Other topic"),
        ["guidance-age-under-18"] = ("Alle 18-vuotias", "Under 18"),
        ["guidance-age-18-29"] = ("18–29-vuotias", "18–29"),
        ["guidance-age-30-54"] = ("30–54-vuotias", "30–54"),
        ["guidance-age-55-plus"] = ("55 vuotta tai yli", "55 or over"),
        ["guidance-age-unknown"] = ("Ikää ei kysytty", "Age not asked"),
        ["guidance-gender-woman"] = ("Nainen", "Woman"),
        ["guidance-gender-man"] = ("Mies", "Man"),
        ["guidance-gender-non-binary"] = ("Muunsukupuolinen", "Non-binary"),
        ["guidance-gender-unknown"] = ("Sukupuolta ei kysytty", "Gender not asked"),
        ["col-figure"] = ("Luku", "Figure"),
        ["col-month"] = ("Kuukausi", "Month"),
        ["col-month-six"] = ("Kuukausi (lähteneet 6 kk sitten)", "Month (left 6 months before)"),
        ["col-month-name"] = ("Kuukausi", "Month"),
        ["col-cumulative"] = ("Yhteensä", "Cumulative"),
        ["col-form"] = ("Lomake", "Form"),
        ["col-due-month"] = ("Erääntyi kuussa", "Due in month"),
        ["col-received-month"] = ("Saatu kuussa", "Received in month"),
        ["col-due-total"] = ("Erääntynyt yhteensä", "Due in total"),
        ["col-received-total"] = ("Saatu yhteensä", "Received in total"),
        ["col-rate"] = ("Saantiaste", "Capture rate"),
        ["col-overdue"] = ("Myöhässä", "Overdue"),
        ["col-closed"] = ("Suljettu ilman lomaketta", "Closed without the form"),
        ["col-outcome"] = ("Tilanne", "Outcome"),
        ["col-status"] = ("Tila", "Status"),
        ["col-code"] = ("Koodi", "Code"),
        ["col-indicator"] = ("Indikaattori", "Indicator"),
        ["col-women"] = ("Naiset", "Women"),
        ["col-men"] = ("Miehet", "Men"),
        ["col-non-binary"] = ("Muu / ei-binäärinen", "Non-binary"),
        ["col-unknown"] = ("Ei tietoa", "Not known"),
        ["col-total"] = ("Yhteensä", "Total"),
        ["col-target"] = ("Tavoite", "Target"),
        ["col-goal"] = ("Tavoitearvo", "Goal"),
        ["col-actual"] = ("Toteuma", "Actual"),
        ["col-met"] = ("Saavutettu", "Met"),
        ["col-coordinator"] = ("Ohjaaja", "Coordinator"),
        ["col-caseload"] = ("Asiakkaita", "Caseload"),
        ["col-starts"] = ("Aloittaneet", "Starts"),
        ["col-exits"] = ("Lähteneet", "Exits"),
        ["col-open-tasks"] = ("Avoimet tehtävät", "Open tasks"),
        ["col-task"] = ("Tehtävä", "Task"),
        ["col-count"] = ("Määrä", "Count"),
        ["col-work-or-education"] = ("Töihin tai koulutukseen", "To work or education"),
        ["col-exit-rate"] = ("Loppukyselyn saantiaste", "Exit forms received"),
        ["starts"] = ("Aloittaneet", "Starts"),
        ["exits"] = ("Lähteneet", "Exits"),
        ["caseload"] = ("Asiakkaita kuun lopussa", "Caseload at month end"),
        ["satisfaction"] = ("Tyytyväisyys (1–5)", "Satisfaction (1–5)"),
        ["satisfaction-answers"] = ("Tyytyväisyysvastauksia", "Satisfaction answers"),
        ["open-tasks"] = ("Avoimia tehtäviä nyt", "Open tasks now"),
        ["form-entry"] = ("Alkukysely", "Entry form"),
        ["form-exit"] = ("Loppukysely", "Exit form"),
        ["form-six-month"] = ("Kuuden kuukauden seuranta", "Six-month follow-up"),
        ["outcome-employed"] = ("Töissä (myös yrittäjät)", "Employed (incl. self-employed)"),
        ["outcome-self-employed"] = ("– joista yrittäjiä", "– of whom self-employed"),
        ["outcome-education"] = ("Koulutuksessa", "In education or training"),
        ["outcome-job-searching"] = ("Työnhaussa", "Job searching"),
        ["outcome-no-change"] = ("Ei muutosta", "No change"),
        ["outcome-qualification"] = ("Sai tutkinnon tai todistuksen", "Gained a qualification"),
        ["six-employed"] = ("Töissä (myös yrittäjät)", "Employed (incl. self-employed)"),
        ["six-self-employed"] = ("– joista yrittäjiä", "– of whom self-employed"),
        ["six-not-employed"] = ("Ei töissä", "Not employed"),
        ["six-improved"] = ("Työtilanne parani", "Work situation improved"),
        ["status-unemployed"] = ("Työttömät", "Unemployed"),
        ["status-inactive"] = ("Työvoiman ulkopuolella", "Inactive"),
        ["status-employed"] = ("Työlliset", "Employed"),
        ["status-self-employed"] = ("Yrittäjät", "Entrepreneurs"),
        ["status-education"] = ("Koulutuksessa", "In education"),
        ["indicator-participants"] = ("Osallistujat", "Participants"),
        ["indicator-unemployed"] = ("Työttömät (myös pitkäaikaistyöttömät)", "Unemployed (incl. long-term)"),
        ["indicator-long-term-unemployed"] = ("Pitkäaikaistyöttömät", "Long-term unemployed"),
        ["indicator-inactive"] = ("Työvoiman ulkopuolella olevat", "Inactive"),
        ["indicator-employed"] = ("Työlliset (myös yrittäjät)", "Employed (incl. self-employed)"),
        ["indicator-under-18"] = ("Alle 18-vuotiaat", "Under 18"),
        ["indicator-18-29"] = ("18–29-vuotiaat", "Aged 18–29"),
        ["indicator-55-plus"] = ("55 vuotta täyttäneet", "Aged 55 and over"),
        ["indicator-isced-0-2"] = ("Enintään perusaste (ISCED 0–2)", "Up to lower secondary (ISCED 0–2)"),
        ["indicator-isced-3-4"] = ("Toinen aste (ISCED 3–4)", "Upper secondary (ISCED 3–4)"),
        ["indicator-isced-5-8"] = ("Korkea-aste (ISCED 5–8)", "Tertiary (ISCED 5–8)"),
        ["indicator-third-country-national"] = ("Kolmansien maiden kansalaiset", "Third-country nationals"),
        ["indicator-foreign-background"] = ("Ulkomaalaistaustaiset", "Foreign background"),
        ["indicator-disability"] = ("Vammaiset", "With disabilities"),
        ["indicator-minority"] = ("Vähemmistöt (myös romanit)", "Minorities (incl. Roma)"),
        ["indicator-homeless"] = ("Asunnottomat", "Homeless or housing-excluded"),
        ["target-participants"] = ("Osallistujia", "Participants"),
        ["target-workOrEducationAtExit"] = ("Lähteneistä töihin tai koulutukseen", "Leavers to work or education"),
        ["target-employedAtSixMonths"] = ("Töissä kuusi kuukautta lähdön jälkeen", "Employed six months after leaving"),
        ["target-exitFormsReceived"] = ("Loppukyselyn saantiaste", "Exit forms received"),
        ["table-employers"] = ("Työnantajayhteistyö", "Employer cooperation"),
        ["table-events"] = ("Tapahtumat", "Events"),
        ["coop-employers"] = ("Yhteistyötyönantajia", "Employers cooperating"),
        ["coop-size-micro"] = ("Mikroyritys (alle 10 henkeä)", "Micro (under 10 staff)"),
        ["coop-size-small"] = ("Pieni yritys (10–49 henkeä)", "Small (10–49 staff)"),
        ["coop-size-medium"] = ("Keskisuuri yritys (50–249 henkeä)", "Medium (50–249 staff)"),
        ["coop-size-large"] = ("Suuri yritys (250 henkeä tai yli)", "Large (250 staff or more)"),
        ["coop-cooperation-placement"] = ("Työkokeilu tai harjoittelu", "Work trial or placement"),
        ["coop-cooperation-recruitment"] = ("Rekrytointi", "Recruitment"),
        ["coop-cooperation-training"] = ("Koulutus", "Training"),
        ["coop-cooperation-visit"] = ("Yritysvierailu", "Company visit"),
        ["coop-events"] = ("Tapahtumia", "Events"),
        ["coop-kind-info-session"] = ("Infotilaisuus", "Info session"),
        ["coop-kind-recruitment"] = ("Rekrytointitapahtuma", "Recruitment event"),
        ["coop-kind-job-fair"] = ("Työmessut", "Job fair"),
        ["coop-kind-workplace-visit"] = ("Työpaikkavierailu", "Workplace visit"),
        ["coop-kind-training"] = ("Koulutus", "Training"),
        ["coop-kind-other"] = ("Muu tapahtuma", "Other event"),
        ["coop-attendance"] = ("Osallistujia tapahtumissa", "Event attendees"),
        ["target-employers"] = ("Yhteistyötyönantajia", "Employers cooperating"),
        ["target-eventAttendees"] = ("Osallistujia tapahtumissa", "Event attendees"),
        ["target-employersBySize-micro"] = ("Työnantajia: mikroyritykset", "Employers: micro"),
        ["target-employersBySize-small"] = ("Työnantajia: pienet yritykset", "Employers: small"),
        ["target-employersBySize-medium"] = ("Työnantajia: keskisuuret yritykset", "Employers: medium"),
        ["target-employersBySize-large"] = ("Työnantajia: suuret yritykset", "Employers: large"),
        ["yes"] = ("Kyllä", "Yes"),
        ["no"] = ("Ei", "No"),
        ["mail-title"] = ("Askel – kuukausiyhteenveto", "Askel – monthly summary"),
        ["mail-subject"] = ("Askel: {0} – kuukausiyhteenveto {1}", "Askel: {0} – monthly summary {1}"),
        ["mail-summary-of"] = ("Kuukausiyhteenveto: {0}", "Monthly summary: {0}"),
        ["mail-warnings"] = ("Huomio", "Please note"),
        ["mail-open"] = ("Avaa yhteenveto Askelissa", "Open the summary in Askel"),
        ["mail-open-text"] = ("Avaa yhteenveto Askelissa: {0}", "Open the summary in Askel: {0}"),
        ["mail-footer"] = (
            "Yhteenvedossa on vain lukumääriä, ei osallistujien tietoja. Samat taulukot ovat liitteinä (XLSX ja CSV).",
            "The summary holds counts only, no participant details. The same tables are attached (XLSX and CSV)."),
        ["headline-flow"] = (
            "Kuukauden aikana aloitti {0} ja lähti {1} osallistujaa (projektin alusta {2} ja {3}).",
            "In the month {0} participants started and {1} left ({2} and {3} since the project began)."),
        ["headline-capture"] = ("Loppukysely on saatu {0} lähteneeltä {1}:stä ({2}).", "Exit forms received: {0} of {1} ({2})."),
        ["headline-capture-none"] = ("Loppukyselyitä ei ole vielä erääntynyt.", "No exit forms have been due yet."),
        ["headline-work"] = (
            "Töihin tai koulutukseen siirtyi kuukauden lähteneistä {0}, projektin alusta {2} lähteneestä {1} ({3}).",
            "To work or education: {0} of the month's leavers; {1} of {2} leavers since the project began ({3})."),
        ["headline-overdue"] = ("Myöhässä olevia lomakkeita nyt: {0}.", "Forms overdue now: {0}."),
        ["chart-alt"] = (
            "Kaavio: aloittaneet ja lähteneet pylväinä, töihin tai koulutukseen siirtyneet viivana, kuukausittain. {0}.",
            "Chart: starts and exits as bars, leavers to work or education as a line, per month. {0}."),
        ["chart-alt-month"] = ("{0}: aloitti {1}, lähti {2}, töihin tai koulutukseen {3}", "{0}: {1} started, {2} left, {3} to work or education"),
        ["no-rows"] = ("Ei rivejä.", "Nothing to show."),
        ["sheet-about"] = ("Tiedot", "About"),
        ["about-project"] = ("Projekti", "Project"),
        ["about-project-id"] = ("Projektin tunnus", "Project id"),
        ["about-month"] = ("Kuukausi", "Month"),
        ["about-generated"] = ("Laadittu", "Generated"),
        ["about-sheet"] = ("Välilehti", "Sheet"),
        ["about-table"] = ("Taulukko", "Table"),
        ["warning-no-managers"] = (
            "Projektilla ei ole esihenkilöitä: kuukausiyhteenvetoa ei lähetetä kenellekään. Lisää projektitiedostoon managers: tai managerGroup:.",
            "The project has no managers: the monthly summary goes to no one. Add managers: or managerGroup: to the project file."),
    };

    /// <summary>How numbers and months are written in <paramref name="language"/>: Finnish for <c>fi</c>, Finland Swedish for <c>sv</c>, else British English.</summary>
    public static CultureInfo Culture(string language) =>
        CultureInfo.GetCultureInfo(language switch { "fi" => "fi-FI", "sv" => "sv-FI", _ => "en-GB" });

    /// <summary>The month (<c>yyyy-MM</c>) in words (<c>lokakuu 2026</c>, <c>oktober 2026</c>, <c>October 2026</c>), or as it is when it is no month.</summary>
    public static string MonthName(string month, string language) =>
        DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString("MMMM yyyy", Culture(language))
            : month;

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/> (<c>sv</c> Swedish, <c>en</c> English, else Finnish).</summary>
    public static string Get(string key, string language) =>
        !Texts.TryGetValue(key, out var text) ? key
        : language switch
        {
            "en" => text.En,
            "sv" => Swedish.TryGetValue(key, out var swedish) ? swedish : text.Fi, // the tests hold Swedish to every key
            _ => text.Fi,
        };

    /// <summary>Every key (tests check every language is filled in).</summary>
    public static IEnumerable<string> Keys => Texts.Keys;

    /// <summary>The keys that have a Swedish text (tests check they are exactly <see cref="Keys"/>).</summary>
    internal static IEnumerable<string> SwedishKeys => Swedish.Keys;
}
