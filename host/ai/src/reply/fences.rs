//! Splitting a reply into prose and fenced blocks (```` ``` ```` or `~~~`), tolerating indented
//! fences, fences nested inside a Markdown file, and a block left open before the next file.

/// One fenced block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The info string after the opening fence, trimmed.
    pub info: String,
    /// The lines between the fences, each ending in `\n`.
    pub content: String,
    /// The 1-based line of the opening fence.
    pub line: usize,
    /// The last non-blank prose line before the block (at most two lines above it).
    pub before: Option<String>,
    /// Whether a closing fence was found (a block is also closed by the next file's opening).
    pub closed: bool,
}

/// A reply split into its blocks and its prose lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Split {
    /// The fenced blocks, in order.
    pub blocks: Vec<Block>,
    /// The lines outside blocks.
    pub prose: Vec<String>,
}

struct Fence {
    character: char,
    length: usize,
    indent: usize,
    info: String,
}

fn fence(line: &str) -> Option<Fence> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    let character = trimmed
        .chars()
        .next()
        .filter(|first| *first == '`' || *first == '~')?;
    let length = trimmed
        .chars()
        .take_while(|next| *next == character)
        .count();
    if length < 3 {
        return None;
    }
    let info = trimmed[length..].trim();
    if character == '`' && info.contains('`') {
        return None;
    }
    Some(Fence {
        character,
        length,
        indent,
        info: info.to_owned(),
    })
}

/// Splits `text` (already with `\n` line ends). `opens_file` says whether an info string names a
/// file, so that such a fence inside an open block starts a new block instead of nesting.
pub fn split(text: &str, opens_file: &dyn Fn(&str) -> bool) -> Split {
    let mut split = Split::default();
    let mut open: Option<(Fence, Block)> = None;
    let mut nested = 0usize;
    let mut blank_run = 0usize;
    let mut last_prose: Option<String> = None;
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        if let Some((opening, block)) = &mut open {
            if let Some(candidate) = fence(line) {
                let same_kind = candidate.character == opening.character;
                if candidate.info.is_empty() && same_kind && candidate.length >= opening.length {
                    if nested == 0 {
                        if let Some((_, mut block)) = open.take() {
                            block.closed = true;
                            split.blocks.push(block);
                        }
                        last_prose = None;
                        blank_run = 0;
                        continue;
                    }
                    nested -= 1;
                } else if !candidate.info.is_empty() && opens_file(&candidate.info) {
                    if let Some((_, block)) = open.take() {
                        split.blocks.push(block);
                    }
                    nested = 0;
                    open = Some(start(candidate, number, None));
                    continue;
                } else if !candidate.info.is_empty()
                    && same_kind
                    && candidate.length >= opening.length
                {
                    nested += 1;
                }
            }
            let strip = line.len() - line.trim_start_matches(' ').len();
            let content = &line[strip.min(opening.indent)..];
            block.content.push_str(content);
            block.content.push('\n');
            continue;
        }
        if let Some(opening) = fence(line) {
            let before = if blank_run <= 2 {
                last_prose.take()
            } else {
                None
            };
            open = Some(start(opening, number, before));
            nested = 0;
            continue;
        }
        if line.trim().is_empty() {
            blank_run += 1;
        } else {
            blank_run = 0;
            last_prose = Some(line.trim().to_owned());
        }
        split.prose.push(line.to_owned());
    }
    if let Some((_, block)) = open {
        split.blocks.push(block);
    }
    split
}

fn start(opening: Fence, line: usize, before: Option<String>) -> (Fence, Block) {
    let block = Block {
        info: opening.info.clone(),
        content: String::new(),
        line,
        before,
        closed: false,
    };
    (opening, block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_file(info: &str) -> bool {
        info.contains('.')
    }

    #[test]
    fn finds_blocks_and_prose() {
        let text = "Plan: one route.\n\n**sauce.toml**\n```toml\n[app]\n```\nDone.\n~~~rust src/lib.rs\nfn a() {}\n~~~\n";
        let split = split(text, &names_file);
        assert_eq!(split.blocks.len(), 2);
        assert_eq!(split.blocks[0].info, "toml");
        assert_eq!(split.blocks[0].content, "[app]\n");
        assert_eq!(split.blocks[0].before.as_deref(), Some("**sauce.toml**"));
        assert_eq!(split.blocks[0].line, 4);
        assert!(split.blocks[0].closed);
        assert_eq!(split.blocks[1].info, "rust src/lib.rs");
        assert_eq!(split.blocks[1].before.as_deref(), Some("Done."));
        assert!(split.prose.contains(&"Plan: one route.".to_owned()));
    }

    #[test]
    fn nested_fences_stay_inside_a_markdown_file() {
        let text = "```markdown README.md\n# Run\n```sh\nsauce run\n```\nmore\n```\nafter\n";
        let split = split(text, &names_file);
        assert_eq!(split.blocks.len(), 1);
        assert_eq!(
            split.blocks[0].content,
            "# Run\n```sh\nsauce run\n```\nmore\n"
        );
        assert_eq!(split.prose, ["after", ""]);
    }

    #[test]
    fn a_new_file_closes_an_open_block() {
        let text = "```toml sauce.toml\n[app]\n```rust src/lib.rs\nfn a() {}\n```\n";
        let split = split(text, &names_file);
        assert_eq!(split.blocks.len(), 2);
        assert!(!split.blocks[0].closed);
        assert!(split.blocks[1].closed);
        assert_eq!(split.blocks[1].content, "fn a() {}\n");
    }

    #[test]
    fn indented_fences_strip_their_indent() {
        let text = "1. The intent:\n   ```toml\n   [app]\n     name = \"a\"\n   ```\n";
        let split = split(text, &names_file);
        assert_eq!(split.blocks[0].content, "[app]\n  name = \"a\"\n");
    }

    #[test]
    fn an_unclosed_block_at_the_end_is_kept_as_unclosed() {
        let split = split("```rust src/lib.rs\nfn a() {\n", &names_file);
        assert_eq!(split.blocks.len(), 1);
        assert!(!split.blocks[0].closed);
    }

    #[test]
    fn prose_far_above_does_not_name_a_block() {
        let split = split("src/lib.rs\n\n\n\n```rust\nx\n```\n", &names_file);
        assert_eq!(split.blocks[0].before, None);
    }
}
