"""Errors a user is meant to read: one Simplified-Chinese sentence naming sheet and cell."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or environment; printed without a traceback."""

    exit_code = 2

    def __init__(self, message: str, sheet: str = "", cell: str = "") -> None:
        self.sheet, self.cell = sheet, cell
        where = f"工作表「{sheet}」" + (f"单元格{cell}" if cell else "") + "：" if sheet else ""
        super().__init__(where + message)


# Why an operating-system call failed, in Chinese, by errno: the system's own strerror is
# English ("No space left on device") and names whatever file the call used (often a hidden
# temporary file), so messages are built from this reason and the path the user gave.
_REASONS = {
    "EACCES": "权限不足", "EPERM": "权限不足", "ENOSPC": "磁盘已满", "EDQUOT": "磁盘配额已用完",
    "EROFS": "只读文件系统，不能写入", "ENAMETOOLONG": "文件名过长", "ENOENT": "找不到该文件或文件夹",
    "ENOTDIR": "路径中有一段是文件而不是文件夹", "EISDIR": "这是一个文件夹，不是文件", "EEXIST": "已有同名文件",
    "EIO": "磁盘读写错误", "EFBIG": "文件超过系统允许的大小", "EBUSY": "文件正被其他程序使用",
    "ETXTBSY": "文件正被其他程序使用", "ELOOP": "符号链接循环", "EMFILE": "打开的文件过多",
    "ENFILE": "打开的文件过多", "EXDEV": "不能跨磁盘移动文件", "ENXIO": "设备不存在或未就绪",
    "ENODEV": "设备不存在", "EINVAL": "文件名或参数无效", "ESTALE": "网络文件已失效", "ETIMEDOUT": "连接超时",
}


def os_reason(error: OSError) -> str:
    """"磁盘已满", "权限不足" … for an OSError; a code without a Chinese name gives its errno name."""
    import errno

    name = errno.errorcode.get(error.errno or 0, "")
    if name in _REASONS:
        return _REASONS[name]
    if isinstance(error, PermissionError):
        return _REASONS["EACCES"]
    return f"系统错误{('（' + name + '）') if name else ''}"


class OutputError(UserError):
    """An output file could not be written; names the file the user asked for (never the
    temporary file beside it) and the reason in Chinese."""

    def __init__(self, path: object, error: OSError, reason: str = "") -> None:
        reason = reason or os_reason(error)
        if isinstance(error, PermissionError):
            reason += "（文件可能正被 Excel、Word 等程序打开，请先关闭已打开的该文件后重试）"
        super().__init__(f"无法写入“{path}”：{reason}")
        self.reason, self.os_error = reason, error
