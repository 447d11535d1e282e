{
  "targets": [
    {
      "target_name": "pollmatrix",
      "sources": [
        "<!@(node -p \"['napi', 'engine', 'workers', 'backends', 'transports'].flatMap((d) => require('fs').readdirSync('native/' + d).filter((f) => f.endsWith('.cc')).sort().map((f) => 'native/' + d + '/' + f)).join(' ')\")",
        "native/os/errnos.cc",
        "native/os/host.cc",
        "native/os/host_settle.cc",
        "native/os/host_thread.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "POLLMATRIX_SOURCE_HASH=<!(node native/source-hash.cjs)"
      ],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Werror=switch"],
      "conditions": [
        ["OS=='linux'", {
          "defines": ["HAVE_EPOLL", "HAVE_IO_URING"],
          "cflags_cc": ["-pthread", "-flto=auto"],
          "ldflags": ["-flto=auto"],
          "libraries": ["-pthread"]
        }],
        ["OS=='mac' or OS=='freebsd' or OS=='openbsd' or OS=='netbsd' or OS=='dragonflybsd'", {
          "defines": ["HAVE_KQUEUE"]
        }],
        ["OS=='mac'", {
          "xcode_settings": {
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "MACOSX_DEPLOYMENT_TARGET": "10.15",
            "OTHER_CPLUSPLUSFLAGS": ["-Wall", "-Wextra", "-Werror=switch"]
          }
        }]
      ]
    }
  ]
}
