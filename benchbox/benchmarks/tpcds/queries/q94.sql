-- TPC-DS Q94 (Appendix B.94): orders, shipping cost and net profit of web orders shipped in a 60-day
-- period to a given state from the 'pri' web sites, shipped from several warehouses and never returned.
-- @param YEAR 1999 ~ uniform(1999, 2002)
-- @param MONTH 2 ~ uniform(2, 5)
-- @param STATE 'IL' ~ choice(vocab('states'))
-- @param START_DATE '1999-02-01' ~ f'{YEAR}-0{MONTH}-01'
select
    count(distinct ws1.ws_order_number) as order_count,
    sum(ws1.ws_ext_ship_cost) as total_shipping_cost,
    sum(ws1.ws_net_profit) as total_net_profit
from web_sales ws1, date_dim, customer_address, web_site
where d_date between date '${START_DATE}' and date '${START_DATE}' + interval '60' day
  and ws1.ws_ship_date_sk = d_date_sk
  and ws1.ws_ship_addr_sk = ca_address_sk
  and ca_state = '${STATE}'
  and ws1.ws_web_site_sk = web_site_sk
  and web_company_name = 'pri'
  and exists (
        select 1
        from web_sales ws2
        where ws2.ws_order_number = ws1.ws_order_number
          and ws2.ws_warehouse_sk <> ws1.ws_warehouse_sk
    )
  and not exists (
        select 1
        from web_returns
        where wr_order_number = ws1.ws_order_number
    )
order by count(distinct ws1.ws_order_number)
limit 100
