package dev.tenantprovisioner.adapters.local;

/** The HTML body of the welcome email: inline styles only, as mail clients ignore style sheets. */
final class WelcomeHtml {

    private WelcomeHtml() {
    }

    static String render(String tenant, String url) {
        String t = escape(tenant);
        String u = escape(url);
        return "<!doctype html>\n<html lang=\"en\"><body style=\"margin:0;padding:24px;background:#f1f5f9;"
                + "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#0f172a\">\n"
                + "<div style=\"max-width:520px;margin:0 auto;background:#ffffff;border-radius:12px;padding:32px\">\n"
                + "<h1 style=\"margin:0 0 12px;font-size:22px\">Your instance is ready</h1>\n"
                + "<p style=\"line-height:1.5;color:#334155\">Hello, your instance <strong>" + t
                + "</strong> is up and running.</p>\n"
                + "<p style=\"margin:24px 0\"><a href=\"" + u + "\" style=\"background:#2563eb;color:#ffffff;"
                + "padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:600\">Open " + t + "</a></p>\n"
                + "<p style=\"font-size:13px;color:#64748b\">Or paste this link: " + u + "</p>\n"
                + "</div></body></html>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
