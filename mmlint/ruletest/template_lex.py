"""Go text/template's lexer (Go 1.19): the text between actions, and the tokens inside `{{ }}` with the
`{{-`/`-}}` trim markers and `{{/* */}}` comments. Lexing stops at the first error, which becomes an
"error" item as in Go.
"""

from __future__ import annotations

from dataclasses import dataclass

LEFT, RIGHT = "{{", "}}"
SPACE = " \t\r\n"

# Keywords print as <word> in "unexpected" messages, as Go's item.String does for types above itemKeyword.
KEYWORDS = frozenset(
    {"block", "break", "continue", "define", "else", "end", "if", "range", "nil", "template", "with"}
)


@dataclass(frozen=True, slots=True)
class Item:
    typ: str
    pos: int
    val: str
    line: int

    def describe(self) -> str:
        """The item as Go's item.String() shows it in "unexpected ..." messages."""
        if self.typ == "eof":
            return "EOF"
        if self.typ == "error":
            return self.val
        if self.typ in KEYWORDS or self.typ == "dot":
            return f"<{self.val}>"
        if len(self.val) > 10:
            return _quote(self.val[:10]) + "..."
        return _quote(self.val)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + escaped.replace("\r", "\\r") + '"'


def _alnum(char: str) -> bool:
    """Go's isAlphaNumeric: '_', a Unicode letter or a decimal digit."""
    return char == "_" or char.isalpha() or char.isdecimal()


def _has_left_trim(text: str, pos: int) -> bool:
    return text[pos : pos + 1] == "-" and text[pos + 1 : pos + 2] in tuple(SPACE)


def _has_right_trim(text: str, pos: int) -> bool:
    return text[pos : pos + 1] in tuple(SPACE) and text[pos + 1 : pos + 2] == "-"


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.start = 0
        self.line = 1
        self.start_line = 1
        self.paren_depth = 0
        self.items: list[Item] = []

    def emit(self, typ: str) -> None:
        self.items.append(Item(typ, self.start, self.text[self.start : self.pos], self.start_line))
        self.line += self.text.count("\n", self.start, self.pos)
        self.start, self.start_line = self.pos, self.line

    def ignore(self) -> None:
        self.line += self.text.count("\n", self.start, self.pos)
        self.start, self.start_line = self.pos, self.line

    def error(self, message: str) -> None:
        self.items.append(Item("error", self.start, message, self.start_line))

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def at_right_delim(self) -> tuple[bool, bool]:
        """(at the right delimiter, with a trim marker)."""
        if _has_right_trim(self.text, self.pos) and self.text.startswith(RIGHT, self.pos + 2):
            return True, True
        return self.text.startswith(RIGHT, self.pos), False

    def at_terminator(self) -> bool:
        char = self.peek()
        return char == "" or char in SPACE or char in ".,|:()" or self.text.startswith(RIGHT, self.pos)

    def run(self) -> list[Item]:
        while self.lex_text():
            if self.lex_left_delim():
                while self.lex_inside_action():
                    pass
            if self.items and self.items[-1].typ == "error":
                break
        return self.items

    # Each step returns whether lexing goes on.

    def lex_text(self) -> bool:
        found = self.text.find(LEFT, self.pos)
        if found < 0:
            self.pos = len(self.text)
            if self.pos > self.start:
                self.emit("text")
            self.emit("eof")
            return False
        self.pos = found
        trim = 0
        if _has_left_trim(self.text, found + len(LEFT)):
            chunk = self.text[self.start : found]
            trim = len(chunk) - len(chunk.rstrip(SPACE))
        self.pos -= trim
        if self.pos > self.start:
            self.emit("text")
        self.pos += trim
        self.ignore()
        return True

    def lex_left_delim(self) -> bool:
        """After {{: a comment (returns False, lexing text again) or an action (returns True)."""
        self.pos += len(LEFT)
        after_marker = 2 if _has_left_trim(self.text, self.pos) else 0
        if self.text.startswith("/*", self.pos + after_marker):
            self.pos += after_marker
            self.ignore()
            return self.lex_comment()
        self.emit("leftDelim")
        self.pos += after_marker
        self.ignore()
        self.paren_depth = 0
        return True

    def lex_comment(self) -> bool:
        self.pos += 2
        end = self.text.find("*/", self.pos)
        if end < 0:
            self.error("unclosed comment")
            return self._stop()
        self.pos = end + 2
        delim, trim = self.at_right_delim()
        if not delim:
            self.error("comment ends before closing delimiter")
            return self._stop()
        self.pos += (2 if trim else 0) + len(RIGHT)
        if trim:
            self.pos += len(self.text[self.pos :]) - len(self.text[self.pos :].lstrip(SPACE))
        self.ignore()
        return False

    def _stop(self) -> bool:
        self.pos = len(self.text)
        self.start = self.pos
        return False

    def lex_right_delim(self) -> None:
        trim = _has_right_trim(self.text, self.pos)
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += len(RIGHT)
        self.emit("rightDelim")
        if trim:
            rest = self.text[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(SPACE))
            self.ignore()

    def lex_inside_action(self) -> bool:
        """One token inside an action; False at the closing delimiter or an error."""
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                self.lex_right_delim()
                return False
            self.error("unclosed left paren")
            return False
        char = self.peek()
        if char == "":
            self.error("unclosed action")
            return False
        if char in SPACE:
            return self.lex_space()
        self.pos += 1
        if char == "=":
            self.emit("assign")
        elif char == ":":
            if self.peek() != "=":
                self.error("expected :=")
                return False
            self.pos += 1
            self.emit("declare")
        elif char == "|":
            self.emit("pipe")
        elif char == '"':
            return self.lex_quote('"', "unterminated quoted string", "string")
        elif char == "`":
            return self.lex_raw_quote()
        elif char == "'":
            return self.lex_quote("'", "unterminated character constant", "charConstant")
        elif char == "$":
            return self.lex_variable()
        elif char == "." and self.peek() != "" and not "0" <= self.peek() <= "9":
            return self.lex_field_or_variable("field")
        elif char in "+-." or "0" <= char <= "9":
            self.pos -= 1
            return self.lex_number()
        elif _alnum(char):
            self.pos -= 1
            return self.lex_identifier()
        elif char == "(":
            self.emit("leftParen")
            self.paren_depth += 1
        elif char == ")":
            self.emit("rightParen")
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self.error("unexpected right paren U+0029 ')'")
                return False
        elif char.isascii() and char.isprintable():
            self.emit("char")
        else:
            self.error(f"unrecognized character in action: {_unicode(char)}")
            return False
        return True

    def lex_space(self) -> bool:
        count = 0
        while self.peek() != "" and self.peek() in SPACE:
            self.pos += 1
            count += 1
        # A trim-marked right delimiter starts with a space: leave that space for it.
        if _has_right_trim(self.text, self.pos - 1) and self.text.startswith(RIGHT, self.pos + 1):
            self.pos -= 1
            if count == 1:
                self.lex_right_delim()
                return False
        self.emit("space")
        return True

    def lex_identifier(self) -> bool:
        while _alnum(self.peek()):
            self.pos += 1
        word = self.text[self.start : self.pos]
        if not self.at_terminator():
            self.error(f"bad character {_unicode(self.peek())}")
            return False
        if word in KEYWORDS:
            self.emit(word)
        elif word in ("true", "false"):
            self.emit("bool")
        else:
            self.emit("identifier")
        return True

    def lex_variable(self) -> bool:
        if self.at_terminator():
            self.emit("variable")
            return True
        return self.lex_field_or_variable("variable")

    def lex_field_or_variable(self, typ: str) -> bool:
        if self.at_terminator():
            self.emit("variable" if typ == "variable" else "dot")
            return True
        while _alnum(self.peek()):
            self.pos += 1
        if not self.at_terminator():
            self.error(f"bad character {_unicode(self.peek())}")
            return False
        self.emit(typ)
        return True

    def lex_quote(self, quote: str, message: str, typ: str) -> bool:
        while True:
            char = self.peek()
            self.pos += 1
            if char == "\\":
                char = self.peek()
                self.pos += 1
                if char not in ("", "\n"):
                    continue
            if char in ("", "\n"):
                self.error(message)
                return False
            if char == quote:
                break
        self.emit(typ)
        return True

    def lex_raw_quote(self) -> bool:
        end = self.text.find("`", self.pos)
        if end < 0:
            self.error("unterminated raw quoted string")
            return False
        self.pos = end + 1
        self.emit("rawString")
        return True

    def lex_number(self) -> bool:
        if not self.scan_number():
            self.error(f"bad number syntax: {_quote(self.text[self.start : self.pos])}")
            return False
        if self.peek() in ("+", "-"):
            # A complex constant: 1+2i, no spaces, must end in 'i'.
            if not self.scan_number() or self.text[self.pos - 1] != "i":
                self.error(f"bad number syntax: {_quote(self.text[self.start : self.pos])}")
                return False
            self.emit("complex")
        else:
            self.emit("number")
        return True

    def accept(self, valid: str) -> bool:
        if self.peek() != "" and self.peek() in valid:
            self.pos += 1
            return True
        return False

    def accept_run(self, valid: str) -> None:
        while self.accept(valid):
            pass

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 11 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 23 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if _alnum(self.peek()):
            self.pos += 1
            return False
        return True


def _unicode(char: str) -> str:
    """Go's %#U: U+0041 'A'."""
    if char == "":
        return "U+FFFFFFFFFFFFFFFF"
    code = ord(char)
    shown = f" '{char}'" if char.isprintable() else ""
    return f"U+{code:04X}{shown}"


def lex(text: str) -> list[Item]:
    """All items of `text`, ending with an "eof" or an "error" item."""
    return _Lexer(text).run()
