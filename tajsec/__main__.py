from tajsec.cli import main

main()
