"""登录与退出相关消息."""

MESSAGES: dict[str, str] = {
    "session.title": "登录",
    "session.username": "用户名",
    "session.password": "密码",
    "session.sign_in": "登录",
    "session.sign_out": "退出登录",
    "session.signed_out": "您已退出登录。",
    "session.ended": "您的登录已失效(已退出、已过期或账号已被管理员变更),之后的操作均未保存。请重新登录。",
    "session.refused": "用户名或密码错误。",
    "session.hint": "请使用园区系统管理员为您开设的账号登录。",
}
