"""Nesting enumerated items: which open enumeration a mark continues, or which new one it opens.

The open enumerations form a stack, outermost first (（一） > 1． > （1）; (a) > (i)). A mark continues the
enumeration of its style if its number is the next one (closing the deeper ones), restarts it at 1, or opens
a new enumeration at 1: nested in the item just before it, or, after prose, with no parent item (the open
enumerations stay open, so `（二）` after `（一）`'s sub-items and their lead-in continues `（一）`).
`(i)`, `(v)` and `(x)` are letters when they continue a lettered list at h, u or w, and roman numerals
otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coopkg.reader.marks import Marker, alternative_alpha


@dataclass
class _Open:
    style: str
    number: int  # the number of its last item
    block: int  # the block index of its last item
    chapeau: int | None  # the block index of its lead-in paragraph
    detached: bool = False  # opened after prose: its items have no parent item


@dataclass
class Enumerations:
    stack: list[_Open] = field(default_factory=list)

    def clear(self) -> None:
        self.stack.clear()

    def expected(self, style: str) -> int:
        for level in self.stack:
            if level.style == style:
                return level.number + 1
        return 1

    def place(self, marker: Marker, block: int, after_item: bool) -> tuple[Marker, int | None, bool] | None:
        """(the marker as read, the parent item's block, whether it opens an enumeration), or None."""
        alternative = alternative_alpha(marker)
        if alternative is not None and self._continues(alternative):
            marker = alternative
        depth = self._depth(marker.style)
        if depth is not None and marker.number == self.stack[depth].number + 1:
            del self.stack[depth + 1 :]
            self.stack[depth].number, self.stack[depth].block = marker.number, block
            return marker, self._parent(depth), False
        if marker.number != 1:
            return None
        if depth is not None:
            del self.stack[depth:]
        self.stack.append(_Open(marker.style, 1, block, None, detached=not after_item))
        return marker, self._parent(len(self.stack) - 1), True

    def set_chapeau(self, block: int | None) -> None:
        self.stack[-1].chapeau = block

    def chapeau(self) -> int | None:
        return self.stack[-1].chapeau if self.stack else None

    def _continues(self, marker: Marker) -> bool:
        depth = self._depth(marker.style)
        return depth is not None and marker.number == self.stack[depth].number + 1

    def _depth(self, style: str) -> int | None:
        for depth, level in enumerate(self.stack):
            if level.style == style:
                return depth
        return None

    def _parent(self, depth: int) -> int | None:
        if depth == 0 or self.stack[depth].detached:
            return None
        return self.stack[depth - 1].block
