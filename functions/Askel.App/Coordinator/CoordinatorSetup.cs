using Askel.App.Coordinator.Components;
using System.Security.Claims;
using Askel.App.Hosting;
using Askel.App.Projects;
using Askel.App.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Askel.App.Coordinator;

/// <summary>
/// Authentication of the coordinator pages: in Azure, App Service authentication's principal header; locally
/// (<c>Askel__LocalSignIn</c>), a development sign-in page that issues a cookie. The app's default scheme stays
/// App Service's; the coordinator pages use a policy scheme that reads the header when present, else (only with the
/// local sign-in on) the cookie.
/// </summary>
public static class CoordinatorSetup
{
    /// <summary>The local sign-in's cookie scheme.</summary>
    public const string CookieScheme = "AskelLocal";

    /// <summary>The scheme the coordinator pages authenticate with: App Service's header, else the local cookie.</summary>
    public const string PageScheme = "AskelCoordinator";

    /// <summary>The policy of the coordinator pages: a signed-in admin, coordinator or manager.</summary>
    public const string PagePolicy = "coordinator-pages";

    /// <summary>The administrator the local sign-in offers besides the project files' users.</summary>
    public const string LocalAdmin = "admin@askel.local";

    /// <summary>Registers the schemes, the policy and antiforgery.</summary>
    public static IHostApplicationBuilder AddCoordinatorPages(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Cookies and antiforgery tokens must read the same on every instance and after a restart.
        TableKeyRepository.AddTableKeys(builder.Services, sp => sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>()
            .GetTableClient(sp.GetRequiredService<Askel.Runtime.Engine.EngineOptions>().StoragePrefix + "keys"));
        // The local sign-in's cookie exists only where the local sign-in is on: elsewhere a cookie minted with the
        // app's keys (which live in a table) signs no one in, and App Service authentication is the only way in.
        var localSignIn = builder.Configuration.GetValue<bool>($"{AskelOptions.Section}:{nameof(AskelOptions.LocalSignIn)}");
        var authentication = builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, CoordinatorRefusalHandler>(CoordinatorRefusalHandler.SchemeName, null);
        if (localSignIn)
        {
            authentication.AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "askel-coordinator";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict; // no other site can make the browser send it
                options.Cookie.Path = "/coordinator";
                options.LoginPath = "/coordinator/signin";
                options.ReturnUrlParameter = "returnUrl";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.Events.OnRedirectToLogin = Redirect;
            });
        }

        authentication.AddPolicyScheme(PageScheme, null, options =>
        {
            options.ForwardDefaultSelector = context =>
                localSignIn && !context.Request.Headers.ContainsKey(AppServiceAuthenticationHandler.PrincipalHeader) ? CookieScheme : AppServiceAuthenticationHandler.SchemeName;
            // Challenges and refusals are pages: locally the sign-in page, else a page that says how to sign in.
            options.ForwardChallenge = localSignIn ? CookieScheme : CoordinatorRefusalHandler.SchemeName;
            options.ForwardForbid = CoordinatorRefusalHandler.SchemeName;
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PagePolicy, policy => policy
                .AddAuthenticationSchemes(PageScheme)
                .RequireAuthenticatedUser()
                // Managers too (by app role, or through a project's manager group): each page then checks the
                // project, and a manager who does not coordinate it reaches its summary only.
                .RequireAssertion(context => context.User.IsInRole(AskelRoles.Admin) || context.User.IsInRole(AskelRoles.Coordinator)
                    || context.User.IsInRole(AskelRoles.Manager) || IsGroupManager(context)));
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "askel-coordinator-af";
            options.Cookie.Path = "/coordinator";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.FormFieldName = "__af";
        });
        // The pages' components render to HTML per request (static: no circuit, no scripts), with letters of every
        // script written as they are (the default encoder writes "ä" as "&#xE4;").
        builder.Services.AddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Web.HtmlRenderer>();
        builder.Services.AddSingleton<Workflows.Overview.WorkflowOverviews>();
        return builder;
    }

    private static bool IsGroupManager(Microsoft.AspNetCore.Authorization.AuthorizationHandlerContext context) =>
        (context.Resource as HttpContext)?.RequestServices.GetService<ProjectCatalog>()?.All.Any(p => p.ManagerGroup is not null && p.IsManager(context.User)) == true;

    /// <summary>Everyone the local sign-in offers: the project files' coordinators and managers named by sign-in name (an object id signs no one in locally), and the admin.</summary>
    public static IReadOnlyList<string> LocalUsers(ProjectCatalog projects)
    {
        ArgumentNullException.ThrowIfNull(projects);
        return [.. projects.All.SelectMany(p => p.Coordinators.Concat(p.Managers)).Where(u => !Guid.TryParseExact(u, "D", out _)).Append(LocalAdmin)
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The roles a local user gets: admin for the admin, coordinator and manager from the project files.</summary>
    public static IReadOnlyList<string> LocalRoles(ProjectCatalog projects, string user)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var roles = new List<string>();
        if (string.Equals(user, LocalAdmin, StringComparison.OrdinalIgnoreCase))
        {
            roles.Add(AskelRoles.Admin);
        }

        if (projects.All.Any(p => p.IsCoordinator(user)))
        {
            roles.Add(AskelRoles.Coordinator);
        }

        if (projects.All.Any(p => p.IsManager(user)))
        {
            roles.Add(AskelRoles.Manager);
        }

        return roles;
    }

    internal static IResult SignInPage(HttpContext context, IOptions<AskelOptions> options, ProjectCatalog projects, IAntiforgery antiforgery, string? returnUrl)
    {
        var local = options.Value.LocalSignIn;
        var page = new PageContext(CoordinatorTexts.LanguageOf(context), "/coordinator/signin", null, local ? antiforgery.GetAndStoreTokens(context) : null);
        var users = local ? LocalUsers(projects).Select(user => (user, LocalRoles(projects, user))).ToList() : null;
        return new ComponentPage<SignInPage, SignInView>(page, new SignInView(users, SafeReturn(returnUrl)), StatusCodes.Status200OK);
    }

    internal static async Task<IResult> SignInAsync(HttpContext context, IOptions<AskelOptions> options, ProjectCatalog projects, IAntiforgery antiforgery)
    {
        if (!options.Value.LocalSignIn)
        {
            return Results.NotFound();
        }

        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
        {
            return CoordinatorLayout.Message(new PageContext(CoordinatorTexts.LanguageOf(context), "/coordinator/signin", null, null), StatusCodes.Status400BadRequest, "bad-request-title", CoordinatorTexts.Get("bad-request-body", CoordinatorTexts.LanguageOf(context)));
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var language = CoordinatorTexts.LanguageOf(context, form["lang"]);
        var user = LocalUsers(projects).FirstOrDefault(u => string.Equals(u, form["user"].ToString(), StringComparison.OrdinalIgnoreCase));
        if (user is null)
        {
            return FormsRedirect($"/coordinator/signin?lang={language}");
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user) };
        if (projects.ObjectIdOf(user) is { } objectId)
        {
            claims.Add(new(AppServicePrincipal.ObjectIdClaim, objectId)); // as Easy Auth would give it
        }

        claims.AddRange(LocalRoles(projects, user).Select(role => new Claim(ClaimTypes.Role, role)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieScheme, ClaimTypes.Name, ClaimTypes.Role));
        await context.SignInAsync(CookieScheme, principal);
        var target = SafeReturn(form["returnUrl"]);
        return FormsRedirect(target + (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "lang=" + language);
    }

    internal static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, IOptions<AskelOptions> options)
    {
        var language = CoordinatorTexts.LanguageOf(context);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return CoordinatorLayout.Message(new PageContext(language, "/coordinator", null, null), StatusCodes.Status400BadRequest, "bad-request-title", CoordinatorTexts.Get("bad-request-body", language));
        }

        if (!options.Value.LocalSignIn)
        {
            return Results.Redirect("/.auth/logout");
        }

        await context.SignOutAsync(CookieScheme);
        return FormsRedirect($"/coordinator/signin?lang={language}");
    }

    private static string SafeReturn(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || !returnUrl.StartsWith("/coordinator", StringComparison.Ordinal) || returnUrl.StartsWith("//", StringComparison.Ordinal) || returnUrl.Contains('\\', StringComparison.Ordinal))
        {
            return "/coordinator";
        }

        // Drop a language in the return address: the sign-in page's language is added again.
        var query = returnUrl.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? returnUrl : returnUrl[..query];
    }

    private static IResult FormsRedirect(string location) => Forms.FormFlow.SeeOther(location);

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Writes a refusal page: 401 with how to sign in, or 403.</summary>
    internal static async Task WriteRefusalAsync(HttpContext context, int status, string titleKey, string bodyKey)
    {
        var language = CoordinatorTexts.LanguageOf(context);
        var page = new PageContext(language, "/coordinator/signin", null, null);
        var link = status == StatusCodes.Status401Unauthorized ? new PageLink(page.T("sign-in-aad-link"), "/.auth/login/aad?post_login_redirect_uri=/coordinator") : null;
        await new ComponentPage<MessagePage, PageMessage>(page, new PageMessage(page.T(titleKey), [page.T(bodyKey)], link), status).ExecuteAsync(context);
    }
}
