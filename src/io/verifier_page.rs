//! The offline verifier page (docs/verifier/verifier.html): one self-contained HTML file that
//! reruns the draw protocol in the browser. The repository ships it empty; an export embeds a
//! package in its `choucha-package` data block.

/// The page as shipped, without a package.
pub const PAGE: &str = include_str!("../../docs/verifier/verifier.html");

/// The empty data block that an export fills.
const SLOT: &str = r#"<script type="application/json" id="choucha-package"></script>"#;

/// The page with `package_json` embedded. Every `<` becomes `\u003c` (the same JSON value), so
/// no text in the package can close the script element or open a comment.
pub fn with_package(package_json: &str) -> String {
    let escaped = package_json.replace('<', "\\u003c");
    let block = format!(r#"<script type="application/json" id="choucha-package">{escaped}</script>"#);
    debug_assert_eq!(PAGE.matches(SLOT).count(), 1);
    PAGE.replacen(SLOT, &block, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_page_has_one_empty_slot_and_loads_nothing_from_elsewhere() {
        assert_eq!(PAGE.matches(SLOT).count(), 1);
        for outside in ["src=", "href=", "http://", "https://", "@import", "url("] {
            assert!(
                !PAGE.contains(outside),
                "the page must be self-contained: found {outside}"
            );
        }
    }

    #[test]
    fn a_package_cannot_break_out_of_its_script_element() {
        let json = r#"{"title":"</script><script>alert(1)</script><!--"}"#;
        let page = with_package(json);
        let start = page.find(r#"id="choucha-package">"#).unwrap() + r#"id="choucha-package">"#.len();
        let end = start + page[start..].find("</script>").unwrap();
        assert_eq!(
            &page[start..end],
            r#"{"title":"\u003c/script>\u003cscript>alert(1)\u003c/script>\u003c!--"}"#
        );
        let value: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
        assert_eq!(value["title"], "</script><script>alert(1)</script><!--");
        assert_eq!(page.len(), PAGE.len() + page[start..end].len());
    }
}
