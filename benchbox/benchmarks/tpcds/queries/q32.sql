-- TPC-DS Q32 (Appendix B.32): total discount of a manufacturer's catalog sales in a 90-day period, counting
-- only sales whose discount exceeds the item's average discount in that period by at least 30%.
-- @param IMID 977 ~ uniform(1, 1000)
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param CSDATE '2000-01-27' ~ day(f'{YEAR}-01-01', f'{YEAR}-04-01')
select sum(cs_ext_discount_amt) as excess_discount_amount
from catalog_sales, item, date_dim
where i_manufact_id = ${IMID}
  and i_item_sk = cs_item_sk
  and d_date between date '${CSDATE}' and date '${CSDATE}' + interval '90' day
  and d_date_sk = cs_sold_date_sk
  and cs_ext_discount_amt > (
        select 1.3 * avg(cs2.cs_ext_discount_amt)
        from catalog_sales cs2, date_dim d2
        where cs2.cs_item_sk = i_item_sk
          and d2.d_date between date '${CSDATE}' and date '${CSDATE}' + interval '90' day
          and d2.d_date_sk = cs2.cs_sold_date_sk
    )
limit 100
